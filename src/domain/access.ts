import type { RosterStore } from './roster/ports.js';

/**
 * Port: the e-mail address and UPN Teams has for the person acting now. The Teams adapter
 * implements it with a member lookup; it answers [] when Teams cannot say.
 */
export type AddressLookup = () => Promise<readonly string[]>;

/**
 * Who is listed for what: Entra object ids and e-mail addresses, lower case (POSTWISE_HR_USERS,
 * POSTWISE_CONTACT_ADMINS).
 */
export interface AccessLists {
  readonly hr: readonly string[];
  readonly contactAdmins: readonly string[];
}

type Role = 'hr' | 'contact-admin';

/**
 * The one rule for who may do what. HR may use HR's commands and downloads; HR and contact
 * admins may choose the contact channel; a manager (named by the roster, see `identities`) sees their
 * team only. A person is listed by Entra object id, or by an
 * e-mail address: the one the roster has for them (an active member), or one Teams gives.
 * What Teams confirmed is remembered for this process, so a download link (which reaches the
 * server without Teams) is honoured for whom Teams confirmed when the link was made.
 */
export class AccessRule {
  private readonly lists: Readonly<Record<Role, readonly string[]>>;
  private readonly confirmed: Record<Role, Set<string>> = { hr: new Set(), 'contact-admin': new Set() };

  constructor(
    lists: AccessLists,
    private readonly roster: Pick<RosterStore, 'byAadObjectId'>,
  ) {
    this.lists = { hr: lists.hr, 'contact-admin': [...lists.hr, ...lists.contactAdmins] };
  }

  isHr(userId: string, lookup?: AddressLookup): Promise<boolean> {
    return this.holds('hr', userId, lookup);
  }

  /** HR users count as contact admins. */
  isContactAdmin(userId: string, lookup?: AddressLookup): Promise<boolean> {
    return this.holds('contact-admin', userId, lookup);
  }

  /**
   * The ids a roster may name this person by as someone's manager, lower case: their Entra object id and the
   * roster's e-mail address for them, or (when the roster does not know their id) the addresses Teams gives.
   */
  async identities(userId: string, lookup?: AddressLookup): Promise<string[]> {
    const id = userId.toLowerCase();
    const member = await this.roster.byAadObjectId(id);
    if (member?.active) return [id, member.key];
    const addresses = lookup ? await lookup() : [];
    return [id, ...addresses.map((address) => address.toLowerCase())];
  }

  private async holds(role: Role, userId: string, lookup: AddressLookup | undefined): Promise<boolean> {
    const list = this.lists[role];
    if (list.includes(userId.toLowerCase())) return true;
    if (!list.some((entry) => entry.includes('@'))) return false;
    if (this.confirmed[role].has(userId)) return true;
    const member = await this.roster.byAadObjectId(userId.toLowerCase());
    if (member?.active && list.includes(member.key)) return true;
    const addresses = lookup ? await lookup() : [];
    if (!addresses.some((address) => list.includes(address.toLowerCase()))) return false;
    this.confirmed[role].add(userId);
    return true;
  }
}
