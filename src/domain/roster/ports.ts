import type { PagedScan } from '../paging/pagedScan.js';
import type { Member, RosterRow } from './roster.js';

/** The workforce, keyed by lower-case e-mail address. */
export interface RosterStore extends PagedScan<Member> {
  get(key: string): Promise<Member | undefined>;
  /** The member with this (lower-case) Entra object id. */
  byAadObjectId(aadObjectId: string): Promise<Member | undefined>;
  /** Inserts or replaces one member and indexes its Entra object id. */
  put(member: Member): Promise<void>;
  list(): Promise<Member[]>;
  /** A projection of every member, without copying records; `pick` must not return parts of them. */
  scan<R>(pick: (member: Readonly<Member>) => R): Promise<R[]>;
}

/** A problem with a roster file or one of its rows (line 0 for the file as a whole). */
export interface RosterFileProblem {
  readonly line: number;
  readonly reason: string;
}

/** A roster file HR dropped into the chat, kept until HR confirms the import. */
export interface RosterUpload {
  readonly id: string;
  readonly uploadedBy: string;
  readonly fileName: string;
  readonly rows: readonly RosterRow[];
  readonly problems: readonly RosterFileProblem[];
  /** E-mail addresses on rows with problems: those people are not made inactive by the import. */
  readonly keep: readonly string[];
  readonly uploadedAt: string;
  readonly importedAt?: string;
}

export interface RosterUploadStore {
  put(upload: RosterUpload): Promise<void>;
  get(id: string): Promise<RosterUpload | undefined>;
  /** Marks the upload imported; false when it already was (a second click imports nothing). */
  markImported(id: string, at: string): Promise<boolean>;
}

/** A directory the whole roster can be read from (Microsoft Graph's users). */
export interface RosterDirectory {
  listUsers(): Promise<RosterRow[]>;
}
