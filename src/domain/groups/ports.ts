/** An Entra group as HR picks it: its object id and display name. */
export interface Group {
  readonly id: string;
  readonly name: string;
}

/** A user among a group's transitive members, as the directory describes them. */
export interface GroupUser {
  /** Entra object id. */
  readonly id: string;
  readonly name: string;
  readonly mail?: string;
  readonly userPrincipalName?: string;
}

/** The directory could not answer (refused, throttled for too long, unreachable): HR is told, nothing is sent. */
export class GroupDirectoryUnavailable extends Error {
  constructor() {
    super('The directory of groups did not answer.');
    this.name = 'GroupDirectoryUnavailable';
  }
}

/** Entra groups, for campaigns to a group. Methods throw GroupDirectoryUnavailable when the directory fails. */
export interface GroupDirectory {
  /** Up to 15 groups with a word in their name that starts with `term`. */
  search(term: string): Promise<Group[]>;
  /** The group with this id; undefined when there is none. */
  group(id: string): Promise<Group | undefined>;
  /** Every user in the group, also through nested groups, each once. */
  members(id: string): Promise<GroupUser[]>;
}
