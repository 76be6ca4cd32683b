import type { ScheduledCampaign, ScheduleStore } from '../domain/campaigns/schedule.js';
import type { Table } from './table.js';

export class TableScheduleStore implements ScheduleStore {
  constructor(private readonly table: Table<ScheduledCampaign>) {}

  async create(schedule: ScheduledCampaign): Promise<{ schedule: ScheduledCampaign; created: boolean }> {
    const written = await this.table.update(schedule.id, (current) => (current ? undefined : schedule));
    return written
      ? { schedule: written, created: true }
      : { schedule: (await this.table.get(schedule.id)) as ScheduledCampaign, created: false };
  }

  get(id: string): Promise<ScheduledCampaign | undefined> {
    return this.table.get(id);
  }

  update(
    id: string,
    change: (schedule: ScheduledCampaign) => ScheduledCampaign | undefined,
  ): Promise<ScheduledCampaign | undefined> {
    return this.table.update(id, (current) => (current ? change(current) : undefined));
  }

  async list(): Promise<ScheduledCampaign[]> {
    return (await this.table.list()).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }
}
