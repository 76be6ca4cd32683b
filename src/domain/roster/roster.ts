/** One person as a roster source (a CSV row, a Graph user) describes them. */
export interface RosterRow {
  readonly name: string;
  readonly email: string;
  readonly department: string;
  /** Job title, as HR reports it ("Office manager", "Receptionist"). */
  readonly role: string;
  /** Lower-case Entra object id. */
  readonly aadObjectId?: string;
  readonly employeeNumber?: string;
  /** Their manager: a lower-case e-mail address or Entra object id. */
  readonly manager?: string;
}

/**
 * One person on the roster, keyed by lower-case e-mail address. Never deleted, only made inactive.
 * The Entra object id comes from the roster, or is learnt when the person first talks to the bot.
 */
export interface Member extends RosterRow {
  readonly key: string;
  readonly active: boolean;
  readonly source: RosterSource;
  readonly updatedAt: string;
  /** When the member was added or became active again (ISO); members from before it was recorded have none. */
  readonly activeSince?: string;
}

export type RosterSource = 'csv' | 'graph';

/** The roster's key for an e-mail address. */
export function memberKey(email: string): string {
  return email.trim().toLowerCase();
}
