import type { TurnContext } from 'botbuilder';
import type { RosterService } from '../domain/roster/rosterService.js';
import type { Log } from '../log.js';
import { senderAddresses } from './members.js';

/** How long before the e-mail of someone not found on the roster is looked up again. */
const LOOKUP_AGAIN_MS = 60 * 60_000;
/** Above this many remembered lookups, the old ones are forgotten. */
const MAX_LOOKUPS = 10_000;

/**
 * Links a Teams user without a roster match by Entra id to the roster by e-mail or UPN, when
 * the roster has members still without an id (so no lookups with a Graph roster, or none at all).
 */
export class RosterMatching {
  /** People not found on the roster by Entra id, and when their e-mail was last looked up. */
  private readonly lookups = new Map<string, number>();

  constructor(
    private readonly roster: RosterService,
    private readonly log: Log,
  ) {}

  /** Matches the sender of this activity, at most once an hour while no match is found. */
  async match(context: TurnContext): Promise<void> {
    const aadObjectId = context.activity.from.aadObjectId;
    const now = Date.now();
    if (!aadObjectId || (await this.roster.unlinked()) === 0 || (await this.roster.byAadObjectId(aadObjectId))) return;
    if (now - (this.lookups.get(aadObjectId) ?? 0) < LOOKUP_AGAIN_MS) return;
    this.lookups.set(aadObjectId, now);
    try {
      if (await this.roster.link(aadObjectId, await senderAddresses(context))) this.lookups.delete(aadObjectId);
    } catch {
      // Teams could not say who this is; tried again after LOOKUP_AGAIN_MS.
      this.log.info('roster.lookup-failed');
    }
    if (this.lookups.size > MAX_LOOKUPS) {
      for (const [id, at] of this.lookups) if (now - at >= LOOKUP_AGAIN_MS) this.lookups.delete(id);
    }
  }
}
