import { addDays, daysBetween, localDate, parseDate } from '../time/calendar.js';
import type { Audience, Campaign } from './campaign.js';
import type { Clock } from '../time/clock.js';
import type { Course } from '../course/course.js';
import { reach, type ReachStores } from './campaignReach.js';
import { DeliveryTallies, type SendFigures } from './deliveryTallies.js';
import type { DeliveryFigures } from './deliveryFigures.js';
import type {
  CampaignRequest,
  CampaignStatus,
  DepartmentRecipients,
  Invalid,
  PreviewOutcome,
  SendOutcome,
  Unreached,
} from './campaignOutcomes.js';
import type { RosterStore } from '../roster/ports.js';
import type { GroupDirectory } from '../groups/ports.js';
import { groupAudience, groupAudienceOf, type GroupAudience } from './groupAudience.js';
import { activePeople, completedLeftOut, inAudience, type PeopleStores, type Person } from './people.js';
import type { AssignmentStore, CampaignStore, DeliveryQueue } from './ports.js';

/** What campaigns work on; the delivery queue sends what they add to it. */
export interface CampaignStores extends PeopleStores, ReachStores {
  readonly roster: Pick<RosterStore, 'scan' | 'get'>;
  readonly campaigns: CampaignStore;
  readonly deliveries: DeliveryQueue;
  readonly assignments: AssignmentStore;
  /** Entra groups, when the roster comes from Microsoft Graph: campaigns to a group. */
  readonly groups?: GroupDirectory;
}

/** A request that passed the checks: the campaign, its recipients, and how many it left out as completed. */
interface Checked {
  readonly kind: 'valid';
  readonly campaign: Campaign;
  readonly recipients: Person[];
  readonly leftOut: number;
  readonly outsideRoster?: readonly string[] | undefined;
}

/** The longest note a campaign takes, after cleaning. */
export const MAX_NOTE = 500;
const MAX_DUE_DAYS = 366;
const ID = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_UNKNOWN_LISTED = 20;
// C0 controls but newline (a tab becomes a space), DEL, C1 controls, bidirectional overrides and isolates,
// byte order marks.
/** A new campaign is due this many days ahead unless HR picks another date. */
const DEFAULT_DUE_DAYS = 14;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** HR's campaigns: who they reach, the checks before sending, and how far delivery has got. */
export class CampaignService {
  constructor(
    private readonly course: Course,
    private readonly stores: CampaignStores,
    private readonly clock: Clock,
    private readonly timeZone: string,
    /** When given, status() reads its running counts rather than every delivery. */
    private readonly index?: DeliveryFigures,
  ) {}

  /** The due dates HR can pick from today: the first allowed, and the one the form suggests. */
  dueDates(): { first: string; suggested: string } {
    const today = localDate(this.clock.now(), this.timeZone);
    return { first: addDays(today, 1), suggested: addDays(today, DEFAULT_DUE_DAYS) };
  }

  /**
   * Departments of the active roster with how many active members each has, by name; members without one are left
   * out.
   */
  async departments(): Promise<{ name: string; active: number }[]> {
    const names = await this.stores.roster.scan((m) => (m.active && m.department !== '' ? m.department : undefined));
    return countNames(names.filter((n) => n !== undefined)).map(({ name, count }) => ({ name, active: count }));
  }

  async preview(request: CampaignRequest): Promise<PreviewOutcome> {
    const checked = await this.check(request);
    if (checked.kind === 'invalid') return checked;
    const { campaign, recipients, ...rest } = checked;
    return { ...rest, kind: 'ok', campaign, recipients: recipients.length, byDepartment: byDepartment(recipients) };
  }

  /**
   * Sends the campaign: one delivery per recipient, and each recipient's due date. Confirming the
   * same preview again adds nothing, except what a first attempt stopped before writing.
   */
  async send(request: CampaignRequest): Promise<SendOutcome> {
    const existing =
      typeof request.id === 'string' && ID.test(request.id) ? await this.stores.campaigns.get(request.id) : undefined;
    if (existing) return this.resume(existing);
    const checked = await this.check(request);
    if (checked.kind === 'invalid') return checked;
    const { campaign, created } = await this.stores.campaigns.create(checked.campaign);
    if (!created) return this.resume(campaign);
    await reach(campaign, checked.recipients, this.stores, this.clock);
    return { kind: 'created', campaign, recipients: checked.recipients.length };
  }

  /**
   * How far delivery got; of those not reached (unreachable, then failed, by id) the first `listed` are listed, the
   * counts cover all.
   */
  async status(campaignId: string, listed = Number.POSITIVE_INFINITY): Promise<CampaignStatus | undefined> {
    const campaign = await this.stores.campaigns.get(campaignId);
    if (!campaign) return undefined;
    const { notReached, ...counts } = this.index
      ? (await this.index.read()).deliveries.of(campaign.id)
      : await this.tally(campaign.id);
    const [unreachable, failed]: [Unreached[], Unreached[]] = [[], []];
    for (const { key, state, reason, problem } of notReached) {
      if (unreachable.length + failed.length >= listed) break;
      const member = await this.stores.roster.get(key);
      if (member)
        (state === 'unreachable' ? unreachable : failed).push({ member, reason, ...(problem ? { problem } : {}) });
    }
    return { campaign, ...counts, unreachable, failed };
  }

  /** How far delivery got, from every delivery of the campaign. */
  private async tally(campaignId: string): Promise<SendFigures> {
    const tallies = new DeliveryTallies();
    for (const d of await this.stores.deliveries.forSend(campaignId)) tallies.put(d);
    return tallies.of(campaignId);
  }

  async latest(): Promise<Campaign | undefined> {
    return (await this.stores.campaigns.list()).at(-1);
  }

  private async check(request: CampaignRequest): Promise<Invalid | Checked> {
    if (typeof request.id !== 'string' || !ID.test(request.id)) return invalid('id');
    const kind = (['everyone', 'departments', 'not-finished', 'needs-reacknowledge', 'group'] as const).find(
      (a) => a === request.audience,
    );
    if (!kind) return invalid('audience');
    const now = this.clock.now();
    const due = parseDate(request.due);
    const daysAhead = due === undefined ? 0 : daysBetween(localDate(now, this.timeZone), due);
    if (due === undefined || daysAhead < 1 || daysAhead > MAX_DUE_DAYS) return invalid('due');
    const note = cleanNote(request.note);
    if (note === undefined) return invalid('note');
    const people = await activePeople(this.course, this.stores);
    if (people.length === 0) return invalid('roster-empty');
    const leaveOutCompleted = request.includeCompleted !== 'yes';
    let audience: Audience = { kind: 'everyone', leaveOutCompleted };
    let group: GroupAudience | undefined;
    if (kind === 'group') {
      const found = await groupAudience(this.stores, request.group, leaveOutCompleted);
      if (found.kind === 'invalid') return found;
      ({ audience } = group = found);
    } else if (kind === 'departments') {
      const picked = pickDepartments(request.departments, new Set(people.map((p) => p.department)));
      if (!picked) return invalid('departments');
      if (picked.unknown.length > 0) return { kind: 'invalid', field: 'departments', unknown: picked.unknown };
      audience = { kind, departments: picked.known, leaveOutCompleted };
    } else if (kind !== 'everyone') {
      audience = { kind };
    }
    const recipients = people.filter((p) => inAudience(audience, p, group?.members));
    const leftOut = completedLeftOut(audience, people, group?.members);
    if (recipients.length === 0) {
      return leftOut > 0 ? { kind: 'invalid', field: 'no-recipients', leftOut } : invalid('no-recipients');
    }
    const campaign: Campaign = {
      id: request.id,
      createdBy: request.createdBy,
      createdAt: now.toISOString(),
      audience,
      due,
      ...(note === '' ? {} : { note }),
      recipients: recipients.length,
    };
    return { kind: 'valid', campaign, recipients, leftOut, outsideRoster: group?.outside };
  }

  /**
   * A campaign confirmed again. When it has fewer deliveries than recipients, the first attempt
   * stopped part-way: its audience is worked out again and the missing writes are made, except
   * for people a newer campaign has reached since.
   */
  private async resume(campaign: Campaign): Promise<SendOutcome> {
    const before = (await this.stores.deliveries.forSend(campaign.id)).length;
    if (before >= campaign.recipients) return { kind: 'replayed', campaign, recipients: before };
    const newer = new Set(
      (await this.stores.campaigns.list()).filter((c) => c.createdAt > campaign.createdAt).map((c) => c.id),
    );
    const reachedBy = new Map(await this.stores.assignments.scan((a) => [a.key, a.campaignId] as const));
    const group = await groupAudienceOf(campaign.audience, this.stores);
    if (group?.kind === 'invalid') return group;
    const people = (await activePeople(this.course, this.stores)).filter(
      (p) => inAudience(campaign.audience, p, group?.members) && !newer.has(reachedBy.get(p.key) ?? ''),
    );
    await reach(campaign, people, this.stores, this.clock);
    return { kind: 'replayed', campaign, recipients: (await this.stores.deliveries.forSend(campaign.id)).length };
  }
}

function invalid(field: Invalid['field']): Invalid {
  return { kind: 'invalid', field };
}

function byDepartment(people: readonly Person[]): DepartmentRecipients[] {
  const names = new Map<string, string[]>();
  for (const p of people) {
    const list = names.get(p.department);
    if (list) list.push(p.name);
    else names.set(p.department, [p.name]);
  }
  return [...names]
    .map(([name, list]) => ({ name, count: list.length, people: list.sort((a, b) => a.localeCompare(b)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function countNames(names: readonly string[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The note without control characters; '' when there is none, undefined when it is not acceptable. */
function cleanNote(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return undefined;
  const text = value
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (c) => (c === '\t' ? ' ' : ''))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text.length > MAX_NOTE ? undefined : text;
}

/** The chosen departments split into those on the roster and those not; undefined when none were chosen. */
function pickDepartments(
  value: unknown,
  known: ReadonlySet<string>,
): { known: string[]; unknown: string[] } | undefined {
  if (
    !Array.isArray(value) ||
    value.length > known.size + MAX_UNKNOWN_LISTED ||
    !value.every((v) => typeof v === 'string')
  )
    return undefined;
  const chosen = [...new Set(value.map((n: string) => n.trim()).filter((n) => n !== ''))];
  if (chosen.length === 0) return undefined;
  return {
    known: chosen.filter((n) => known.has(n)).sort(),
    unknown: chosen.filter((n) => !known.has(n)).slice(0, MAX_UNKNOWN_LISTED),
  };
}
