import type { RosterStore, RosterUpload, RosterUploadStore } from '../domain/roster/ports.js';
import type { Member } from '../domain/roster/roster.js';
import type { Table } from './table.js';

/** RosterStore on two Tables: members by key, and member keys by Entra object id. */
export class TableRosterStore implements RosterStore {
  constructor(
    private readonly members: Table<Member>,
    private readonly byAad: Table<string>,
  ) {}

  get(key: string): Promise<Member | undefined> {
    return this.members.get(key);
  }

  async byAadObjectId(aadObjectId: string): Promise<Member | undefined> {
    const id = aadObjectId.toLowerCase();
    const key = await this.byAad.get(id);
    const member = key === undefined ? undefined : await this.members.get(key);
    // The index keeps ids a member no longer has: only the member's current id finds them.
    return member?.aadObjectId?.toLowerCase() === id ? member : undefined;
  }

  async put(member: Member): Promise<void> {
    // The index first: a member is never stored with an id that does not find it.
    if (member.aadObjectId)
      await this.byAad.update(member.aadObjectId.toLowerCase(), (current) =>
        current === member.key ? undefined : member.key,
      );
    await this.members.update(member.key, () => member);
  }

  list(): Promise<Member[]> {
    return this.members.list();
  }

  scan<R>(pick: (member: Readonly<Member>) => R): Promise<R[]> {
    return this.members.scan(pick);
  }

  scanPages<R>(pick: (member: Readonly<Member>) => R, size: number): AsyncIterable<readonly R[]> {
    return this.members.scanPages(pick, size);
  }
}

export class TableRosterUploadStore implements RosterUploadStore {
  constructor(private readonly table: Table<RosterUpload>) {}

  async put(upload: RosterUpload): Promise<void> {
    await this.table.update(upload.id, () => upload);
  }

  get(id: string): Promise<RosterUpload | undefined> {
    return this.table.get(id);
  }

  async markImported(id: string, at: string): Promise<boolean> {
    const written = await this.table.update(id, (current) =>
      current && current.importedAt === undefined ? { ...current, importedAt: at } : undefined,
    );
    return written !== undefined;
  }
}
