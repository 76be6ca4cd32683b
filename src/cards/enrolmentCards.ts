import { MAX_ENROLMENT_DAYS } from '../domain/enrolment/enrolment.js';
import type { EnrolmentState } from '../domain/enrolment/enrolmentService.js';
import type { LanguagePack } from './languagePack.js';
import type { CardJson } from './templates.js';

/** The numbers a new rule's form starts with: sent on the third day, due two weeks later. */
const DEFAULT_DAYS = { sendAfterDays: 3, dueDays: 14 } as const;

function stateWord(pack: LanguagePack, state: EnrolmentState): string {
  if (!state.rule) return pack.text('enrolmentOff');
  return pack.text(state.rule.paused ? 'enrolmentPaused' : 'enrolmentOn');
}

/** HR's card for the standing enrolment rule: how it stands, what it sent, its two numbers and buttons. */
export function enrolmentCard(pack: LanguagePack, state: EnrolmentState, notice?: string): CardJson {
  const { rule } = state;
  const t = pack.text.bind(pack);
  const facts = [{ title: t('enrolmentStateLabel'), value: stateWord(pack, state) }];
  if (rule) {
    facts.push(
      { title: t('enrolmentSendAfterFact'), value: String(rule.sendAfterDays) },
      { title: t('enrolmentDueFact'), value: String(rule.dueDays) },
      { title: t('enrolmentSentLabel'), value: String(state.sent) },
      { title: t('enrolmentWaitingLabel'), value: String(state.waiting) },
    );
  }
  return pack.render('enrolment', {
    facts,
    paused: rule?.paused === true,
    canPause: rule?.paused === false,
    notice: notice ?? null,
    sendAfterDays: rule?.sendAfterDays ?? DEFAULT_DAYS.sendAfterDays,
    dueDays: rule?.dueDays ?? DEFAULT_DAYS.dueDays,
    invalidDays: t('enrolmentInvalidDays', { max: MAX_ENROLMENT_DAYS }),
    save: t(rule ? 'enrolmentSave' : 'enrolmentTurnOn'),
  });
}

/** One line for the campaign form: whether everyone who joins gets the course, and how many it sent. */
export function enrolmentSummary(pack: LanguagePack, state: EnrolmentState): string {
  if (!state.rule) return pack.text('enrolmentSummaryOff');
  return pack.text(state.rule.paused ? 'enrolmentSummaryPaused' : 'enrolmentSummaryOn', { count: state.sent });
}
