import { HrCards } from '../cards/hrCards.js';
import { ScheduleCards } from '../cards/scheduleCards.js';
import type { CardJson } from '../cards/templates.js';
import type { ScheduledCampaign } from '../domain/campaigns/schedule.js';
import type { RouteDeps } from './routeDeps.js';
import type { Turn } from './turn.js';

/** Why a scheduled campaign did not go out, in the person's language. */
export type FailedText = (field: NonNullable<ScheduledCampaign['failed']>) => string;

export const scheduleCards = (turn: Turn, deps: RouteDeps) =>
  new ScheduleCards(new HrCards(turn.pack), deps.hr.timeZone);

/** The scheduled campaigns as a card; undefined when there are none, unless `notice` says something about one. */
export async function scheduleList(
  turn: Turn,
  deps: RouteDeps,
  failedText: FailedText,
  notice?: string,
): Promise<CardJson | undefined> {
  const listed = await deps.hr.schedules.listed();
  if (listed.length === 0 && notice === undefined) return undefined;
  return scheduleCards(turn, deps).list(listed, failedText, notice);
}

/** "on Tuesday 3 November at 10:00", in the person's language. */
export function startsOn(turn: Turn, deps: RouteDeps, iso: string): string {
  return turn.pack.text('openingOn', scheduleCards(turn, deps).moment(iso));
}
