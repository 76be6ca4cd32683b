import type { Assignment } from '../domain/campaigns/assignment.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import { isFinal, type Delivery } from '../domain/campaigns/delivery.js';
import type { AssignmentStore, CampaignStore, DeliveryStore } from '../domain/campaigns/ports.js';
import type { Table } from './table.js';

export class TableCampaignStore implements CampaignStore {
  constructor(private readonly table: Table<Campaign>) {}

  async create(campaign: Campaign): Promise<{ campaign: Campaign; created: boolean }> {
    const written = await this.table.update(campaign.id, (current) => (current ? undefined : campaign));
    return written
      ? { campaign: written, created: true }
      : { campaign: (await this.table.get(campaign.id)) as Campaign, created: false };
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
    const written = await Promise.all(
      deliveries.map((d) => this.table.update(d.id, (current) => (current ? undefined : d))),
    );
    return written.filter((w) => w !== undefined).length;
  }

  get(id: string): Promise<Delivery | undefined> {
    return this.table.get(id);
  }

  update(id: string, change: (delivery: Delivery) => Delivery | undefined): Promise<Delivery | undefined> {
    return this.table.update(id, (current) => (current ? change(current) : undefined));
  }

  async forSend(sendId: string): Promise<Delivery[]> {
    const ids = (await this.table.scan((d) => (d.sendId === sendId ? d.id : undefined))).filter(
      (id) => id !== undefined,
    );
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

  update(
    key: string,
    change: (current: Assignment | undefined) => Assignment | undefined,
  ): Promise<Assignment | undefined> {
    return this.table.update(key, change);
  }

  scan<R>(pick: (assignment: Readonly<Assignment>) => R): Promise<R[]> {
    return this.table.scan(pick);
  }

  scanPages<R>(pick: (assignment: Readonly<Assignment>) => R, size: number): AsyncIterable<readonly R[]> {
    return this.table.scanPages(pick, size);
  }
}
