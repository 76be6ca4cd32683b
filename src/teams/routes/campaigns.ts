import { randomUUID } from 'node:crypto';
import { CampaignCards, stillSending, type SendLater } from '../../cards/campaignCards.js';
import { enrolmentSummary } from '../../cards/enrolmentCards.js';
import { HrCards, LIST_ON_CARD } from '../../cards/hrCards.js';
import { departmentsChosen } from '../../domain/roster/departmentKeys.js';
import { daysBetween, localDate } from '../../domain/time/calendar.js';
import type { CampaignRequest, Invalid } from '../../domain/campaigns/campaignOutcomes.js';
import { MAX_NOTE } from '../../domain/campaigns/campaignService.js';
import { followCampaign } from '../campaignProgress.js';
import { groupFields, groupPicker } from '../groupPicker.js';
import { refuse, replace, say, sendBelow } from '../replies.js';
import { scheduleList } from '../scheduleList.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { shortText, type Reply, type Turn } from '../turn.js';

const campaignCards = (turn: Turn) => new CampaignCards(new HrCards(turn.pack));

/** The campaign form's inputs as the domain reads them; department choices are mapped back to names. */
export async function campaignRequest(turn: Turn, deps: RouteDeps): Promise<CampaignRequest> {
  const names = (await deps.hr.campaigns.departments()).map((d) => d.name);
  return {
    id: shortText(turn.data.request) ?? '',
    createdBy: turn.userId,
    audience: turn.data.audience,
    departments: departmentsChosen(turn.data.departments, names),
    due: turn.data.due,
    note: turn.data.note,
    includeCompleted: turn.data.includeCompleted,
    group: turn.data.group,
  };
}

/** The campaign form, filled in again with what HR entered (after "Change", or with a notice what to correct). */
export async function campaignForm(turn: Turn, deps: RouteDeps, request: CampaignRequest, notice?: string) {
  const { first, suggested } = deps.hr.campaigns.dueDates();
  return campaignCards(turn).form({
    request: request.id,
    departments: (await deps.hr.campaigns.departments()).map((d) => d.name),
    firstDue: first,
    defaultDue: suggested,
    values: {
      audience: shortText(request.audience),
      departments: request.departments as readonly string[],
      due: shortText(turn.data.due),
      note: typeof turn.data.note === 'string' ? turn.data.note.slice(0, MAX_NOTE) : undefined,
      includeCompleted: turn.data.includeCompleted === 'yes',
    },
    ...(notice ? { notice } : {}),
    enrolment: enrolmentSummary(turn.pack, await deps.hr.enrolment.state()),
    groups: await groupPicker(turn, deps),
  });
}

export function invalidText(turn: Turn, outcome: Invalid): string {
  switch (outcome.field) {
    case 'audience':
      return turn.pack.text('campaignInvalidAudience');
    case 'departments':
      return outcome.unknown?.length
        ? turn.pack.text('campaignUnknownDepartments', { names: outcome.unknown.join(', ') })
        : turn.pack.text('campaignInvalidDepartments');
    case 'due':
      return turn.pack.text('campaignInvalidDue');
    case 'note':
      return turn.pack.text('campaignInvalidNote', { max: MAX_NOTE });
    case 'no-recipients':
      if (outcome.leftOut) return turn.pack.text('campaignAllCompleted', { count: outcome.leftOut });
      return turn.pack.text('campaignNobody');
    case 'roster-empty':
      return turn.pack.text('campaignRosterEmpty');
    case 'id':
      return turn.pack.text('staleCard');
    case 'group':
      return turn.pack.text('campaignInvalidGroup');
    case 'group-unavailable':
      return turn.pack.text('groupUnavailable');
  }
}

async function campaignStatus(turn: Turn, deps: RouteDeps, campaignId: string): Promise<Reply> {
  const status = await deps.hr.campaigns.status(campaignId, LIST_ON_CARD);
  if (!status) return refuse(turn.pack.text('campaignUnknown'));
  return replace(campaignCards(turn).status(status));
}

/**
 * Typed "campaign": how the last one stands first, then a form for a new one; "Change" on a preview: the form again.
 */
async function campaign(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const request = await campaignRequest(turn, deps);
  const form = await campaignForm(turn, deps, { ...request, id: request.id || randomUUID() });
  if (request.id !== '') return sendBelow(turn, form);
  const latest = await deps.hr.campaigns.latest();
  const status = latest && (await deps.hr.campaigns.status(latest.id, LIST_ON_CARD));
  const scheduled = await scheduleList(turn, deps, (field) => invalidText(turn, { kind: 'invalid', field }));
  const above = [status && campaignCards(turn).status(status), scheduled].filter((c) => c !== undefined);
  return sendBelow(turn, ...above, form);
}

/** The preview of the campaign HR filled in; `later`: the *Send at…* choice again, with what to correct. */
export async function preview(turn: Turn, deps: RouteDeps, later?: Partial<SendLater>): Promise<Reply> {
  const request = await campaignRequest(turn, deps);
  if (request.id === '') return refuse(turn.pack.text('staleCard'));
  // A preview of a campaign already sent (a second client, an old card) shows how it stands.
  if (await deps.hr.campaigns.status(request.id, 0)) return campaignStatus(turn, deps, request.id);
  const outcome = await deps.hr.campaigns.preview(request);
  if (outcome.kind === 'invalid') return replace(await campaignForm(turn, deps, request, invalidText(turn, outcome)));
  const { audience, departments, due, note, includeCompleted } = turn.data;
  const data = {
    request: request.id,
    audience,
    departments: departments ?? '',
    due,
    note: note ?? '',
    includeCompleted: includeCompleted === 'yes' ? 'yes' : 'no',
    ...groupFields(turn),
  };
  const { campaign, recipients, byDepartment, leftOut, outsideRoster } = outcome;
  const sendLater = { ...deps.hr.schedules.suggested(), ...later };
  const cards = campaignCards(turn);
  return replace(cards.preview(data, campaign, recipients, byDepartment, leftOut, sendLater, outsideRoster));
}

async function send(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const request = await campaignRequest(turn, deps);
  if (request.id === '') return refuse(turn.pack.text('staleCard'));
  const outcome = await deps.hr.campaigns.send(request);
  if (outcome.kind === 'invalid') return replace(await campaignForm(turn, deps, request, invalidText(turn, outcome)));
  if (outcome.kind === 'created') deps.hr.log.info('campaign.created', { recipients: outcome.recipients });
  const status = await deps.hr.campaigns.status(outcome.campaign.id, LIST_ON_CARD);
  if (!status) return refuse(turn.pack.text('campaignUnknown'));
  // The card says it is sending, and updates itself until every message is out.
  const card = campaignCards(turn).status(status, turn.conversation.cardMessageId !== undefined);
  if (stillSending(status)) followCampaign(turn, deps, outcome.campaign.id, card);
  return replace(card);
}

/** HR reminds everyone who has not finished the course, now (within working hours). */
async function remind(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const outcome = await deps.hr.reminders.manual();
  switch (outcome.kind) {
    case 'sent': {
      if (outcome.recipients === 0) return say(turn.pack.text('remindNobody'));
      const skipped =
        outcome.skippedRecent > 0 ? ` ${turn.pack.text('remindSkipped', { count: outcome.skippedRecent })}` : '';
      return say(`${turn.pack.text('remindSent', { count: outcome.recipients })}${skipped}`);
    }
    case 'outside-hours':
      return say(turn.pack.text('remindOutsideHours', { when: opening(turn, deps, outcome.nextOpening) }));
    case 'nobody':
      return say(turn.pack.text('remindNobody'));
  }
}

/** When office hours open next: today at 09:00, tomorrow at 09:00, or on Monday 14 December at 09:00. */
export function opening(turn: Turn, deps: RouteDeps, iso: string): string {
  const { timeZone } = deps.hr;
  const locale = turn.pack.language === 'nl' ? 'nl-NL' : 'en-GB';
  const at = new Date(iso);
  const clock = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const time = clock.format(at);
  const days = daysBetween(localDate(deps.hr.clock.now(), timeZone), localDate(at, timeZone));
  if (days === 0) return turn.pack.text('openingToday', { time });
  if (days === 1) return turn.pack.text('openingTomorrow', { time });
  const date = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(at);
  return turn.pack.text('openingOn', { date, time });
}

/** HR asks people to do the course by a date, and reminds those who have not. */
export const CAMPAIGNS_ROUTES = [
  {
    name: 'campaign',
    verb: 'hrCampaign',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['campaign'], nl: ['campagne'] },
    who: 'hr',
    handle: campaign,
  },
  { name: 'campaignPreview', verb: 'hrCampaignPreview', scope: 'personal', via: ['card'], who: 'hr', handle: preview },
  { name: 'campaignSend', verb: 'hrCampaignSend', scope: 'personal', via: ['card'], who: 'hr', handle: send },
  {
    name: 'campaignStatus',
    verb: 'hrCampaignStatus',
    scope: 'personal',
    via: ['card'],
    who: 'hr',
    handle: async (turn, deps) => campaignStatus(turn, deps, shortText(turn.data.campaign) ?? ''),
  },
  {
    name: 'remind',
    verb: 'hrRemind',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['remind'], nl: ['herinner', 'herinneren'] },
    who: 'hr',
    handle: remind,
  },
] as const satisfies readonly RouteDeclaration[];
