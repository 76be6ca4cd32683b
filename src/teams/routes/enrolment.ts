import { enrolmentCard } from '../../cards/enrolmentCards.js';
import { MAX_ENROLMENT_DAYS } from '../../domain/enrolment/enrolment.js';
import type { EnrolmentChange } from '../../domain/enrolment/enrolmentService.js';
import { refuse, replace, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import type { Reply, Turn } from '../turn.js';

/** The enrolment card below the campaign form HR clicked it on. */
async function show(turn: Turn, deps: RouteDeps): Promise<Reply> {
  return sendBelow(turn, enrolmentCard(turn.pack, await deps.hr.enrolment.state()));
}

/** Applies HR's change and shows the card as the rule now stands (with what to correct, if anything). */
async function change(turn: Turn, deps: RouteDeps, asked: EnrolmentChange): Promise<Reply> {
  const { enrolment, log } = deps.hr;
  const outcome = await enrolment.change(asked, turn.userId);
  if (outcome.kind === 'not-on') return refuse(turn.pack.text('enrolmentNotOn'));
  const notice =
    outcome.kind === 'invalid' ? turn.pack.text('enrolmentInvalidDays', { max: MAX_ENROLMENT_DAYS }) : undefined;
  if (outcome.kind === 'ok') {
    const { sendAfterDays, dueDays, paused } = outcome.rule;
    log.info('enrolment.changed', { sendAfterDays, dueDays, paused });
  }
  return replace(enrolmentCard(turn.pack, await enrolment.state(), notice));
}

/** HR's standing enrolment: everyone who joins the roster gets the course, some days later. */
export const ENROLMENT_ROUTES = [
  { name: 'enrolment', verb: 'hrEnrolment', scope: 'personal', via: ['card'], who: 'hr', handle: show },
  {
    name: 'enrolmentSave',
    verb: 'hrEnrolmentSave',
    scope: 'personal',
    via: ['card'],
    who: 'hr',
    handle: (turn, deps) =>
      change(turn, deps, { kind: 'turn-on', sendAfterDays: turn.data.sendAfterDays, dueDays: turn.data.dueDays }),
  },
  {
    name: 'enrolmentPause',
    verb: 'hrEnrolmentPause',
    scope: 'personal',
    via: ['card'],
    who: 'hr',
    handle: (turn, deps) => change(turn, deps, { kind: 'pause' }),
  },
  {
    name: 'enrolmentResume',
    verb: 'hrEnrolmentResume',
    scope: 'personal',
    via: ['card'],
    who: 'hr',
    handle: (turn, deps) => change(turn, deps, { kind: 'resume' }),
  },
] as const satisfies readonly RouteDeclaration[];
