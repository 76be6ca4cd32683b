import type { Assignment } from '../domain/campaigns/assignment.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import { isFinal, type Delivery } from '../domain/campaigns/delivery.js';
import type { Member } from '../domain/roster/roster.js';
import { INVENTORY_STEP, type InventoryTotals } from '../domain/inventory/inventory.js';
import type { AssignmentStore, CampaignStore, DeliveryStore, InventoryStore, RosterStore, RosterUpload, RosterUploadStore } from './interfaces.js';

/** The running-count key for how many people answered. */
const RESPONDENTS = '*respondents';
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
    if (member.aadObjectId) await this.byAad.update(member.aadObjectId.toLowerCase(), (current) => (current === member.key ? undefined : member.key));
    await this.members.update(member.key, () => member);
  }

  list(): Promise<Member[]> {
    return this.members.list();
  }

  scan<R>(pick: (member: Readonly<Member>) => R): Promise<R[]> {
    return this.members.scan(pick);
  }
}

export class TableCampaignStore implements CampaignStore {
  constructor(private readonly table: Table<Campaign>) {}

  async create(campaign: Campaign): Promise<{ campaign: Campaign; created: boolean }> {
    const written = await this.table.update(campaign.id, (current) => (current ? undefined : campaign));
    return written ? { campaign: written, created: true } : { campaign: (await this.table.get(campaign.id)) as Campaign, created: false };
  }

  get(id: string): Promise<Campaign | undefined> {
    return this.table.get(id);
  }

  async list(): Promise<Campaign[]> {
    return (await this.table.list()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

export class TableDeliveryStore implements DeliveryStore {
  constructor(private readonly table: Table<Delivery>) {}

  async add(deliveries: readonly Delivery[]): Promise<number> {
    const written = await Promise.all(deliveries.map((d) => this.table.update(d.id, (current) => (current ? undefined : d))));
    return written.filter((w) => w !== undefined).length;
  }

  get(id: string): Promise<Delivery | undefined> {
    return this.table.get(id);
  }

  update(id: string, change: (delivery: Delivery) => Delivery | undefined): Promise<Delivery | undefined> {
    return this.table.update(id, (current) => (current ? change(current) : undefined));
  }

  async forSend(sendId: string): Promise<Delivery[]> {
    const ids = (await this.table.scan((d) => (d.sendId === sendId ? d.id : undefined))).filter((id) => id !== undefined);
    return this.copies(ids);
  }

  async open(): Promise<Delivery[]> {
    const ids = (await this.table.scan((d) => (isFinal(d.state) ? undefined : d.id))).filter((id) => id !== undefined);
    return this.copies(ids);
  }

  private async copies(ids: string[]): Promise<Delivery[]> {
    const rows = await Promise.all(ids.map((id) => this.table.get(id)));
    return rows.filter((d) => d !== undefined);
  }
}

export class TableAssignmentStore implements AssignmentStore {
  constructor(private readonly table: Table<Assignment>) {}

  get(key: string): Promise<Assignment | undefined> {
    return this.table.get(key);
  }

  update(key: string, change: (current: Assignment | undefined) => Assignment | undefined): Promise<Assignment | undefined> {
    return this.table.update(key, change);
  }

  scan<R>(pick: (assignment: Readonly<Assignment>) => R): Promise<R[]> {
    return this.table.scan(pick);
  }
}

/**
 * InventoryStore on three Tables that share nothing: who answered (no answers), a running count
 * per platform (no people), and the totals HR sees. Those are published only each time
 * INVENTORY_STEP more people have answered, so comparing two readings never shows one
 * person's answer.
 */
export class TableInventoryStore implements InventoryStore {
  constructor(
    private readonly respondents: Table<true>,
    private readonly counts: Table<{ readonly platform: string; readonly count: number }>,
    private readonly published: Table<InventoryTotals>,
  ) {}

  async answer(userId: string, platforms: readonly string[]): Promise<boolean> {
    const first = await this.respondents.update(userId, (current) => (current ? undefined : true));
    if (!first) return false;
    await Promise.all([...new Set(platforms)].map((platform) => this.count(platform)));
    const answered = await this.count(RESPONDENTS);
    if (answered % INVENTORY_STEP === 0) {
      const counts = Object.fromEntries((await this.counts.scan((c) => [c.platform, c.count] as const)).filter(([p]) => p !== RESPONDENTS));
      await this.published.update('totals', (current) => (current && current.respondents >= answered ? undefined : { respondents: answered, counts }));
    }
    return true;
  }

  async answered(userId: string): Promise<boolean> {
    return (await this.respondents.get(userId)) === true;
  }

  async totals(): Promise<InventoryTotals> {
    return (await this.published.get('totals')) ?? { respondents: 0, counts: {} };
  }

  private async count(platform: string): Promise<number> {
    const written = await this.counts.update(platform, (c) => ({ platform, count: (c?.count ?? 0) + 1 }));
    return written?.count ?? 0;
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
    const written = await this.table.update(id, (current) => (current && current.importedAt === undefined ? { ...current, importedAt: at } : undefined));
    return written !== undefined;
  }
}
