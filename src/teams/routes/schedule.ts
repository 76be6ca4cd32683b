import type { ScheduleRefusal } from '../../domain/campaigns/scheduleService.js';
import { refuse, replace } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { scheduleList, startsOn, type FailedText } from '../scheduleList.js';
import { shortText, type Reply, type Turn } from '../turn.js';
import { campaignRequest, invalidText, preview } from './campaigns.js';

const REFUSALS = {
  time: 'sendAtInvalid',
  past: 'sendAtPast',
  'outside-hours': 'sendAtOutsideHours',
  'due-before-start': 'sendAtDueBeforeStart',
} as const satisfies Record<ScheduleRefusal, string>;

const failedText =
  (turn: Turn): FailedText =>
  (field) =>
    invalidText(turn, { kind: 'invalid', field });

/** The list of scheduled campaigns in place of the clicked card, with a notice on top. */
async function listed(turn: Turn, deps: RouteDeps, notice: string): Promise<Reply> {
  const card = await scheduleList(turn, deps, failedText(turn), notice);
  return card ? replace(card) : refuse(notice);
}

/** *Send at…* on the preview: the campaign is stored to start then; a refusal shows the preview again with why. */
async function schedule(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const request = await campaignRequest(turn, deps);
  if (request.id === '') return refuse(turn.pack.text('staleCard'));
  const [date, time] = [shortText(turn.data.startDate), shortText(turn.data.startTime)];
  const outcome = await deps.hr.schedules.schedule({ ...request, date, time });
  switch (outcome.kind) {
    case 'invalid':
    case 'sent':
      // What Send would refuse shows the form, and a preview already sent how it stands: as a preview would.
      return preview(turn, deps);
    case 'refused': {
      const notice = turn.pack.text(REFUSALS[outcome.reason]);
      return preview(turn, deps, { notice, ...(date ? { date } : {}), ...(time ? { time } : {}) });
    }
    case 'scheduled':
    case 'replayed':
      if (outcome.kind === 'scheduled') deps.hr.log.info('campaign.scheduled', { at: outcome.schedule.at });
      return listed(turn, deps, turn.pack.text('scheduledDone', { when: startsOn(turn, deps, outcome.schedule.at) }));
  }
}

/** *Cancel* on the list: until the campaign starts; afterwards, or a second time, it changes nothing and says so. */
async function cancel(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const id = shortText(turn.data.schedule) ?? '';
  const outcome = await deps.hr.schedules.cancel(id);
  switch (outcome.kind) {
    case 'unknown':
      return refuse(turn.pack.text('campaignUnknown'));
    case 'cancelled':
      deps.hr.log.info('campaign.schedule-cancelled');
      return listed(
        turn,
        deps,
        turn.pack.text('scheduledCancelled', { when: startsOn(turn, deps, outcome.schedule.at) }),
      );
    case 'already-cancelled':
      return listed(turn, deps, turn.pack.text('scheduledAlreadyCancelled'));
    case 'started':
      return listed(turn, deps, turn.pack.text('scheduledAlreadyStarted'));
  }
}

/** HR sets a campaign to go out later, and cancels it until it does. */
export const SCHEDULE_ROUTES = [
  {
    name: 'campaignSchedule',
    verb: 'hrCampaignSchedule',
    scope: 'personal',
    via: ['card'],
    who: 'hr',
    handle: schedule,
  },
  { name: 'campaignCancel', verb: 'hrCampaignCancel', scope: 'personal', via: ['card'], who: 'hr', handle: cancel },
] as const satisfies readonly RouteDeclaration[];
