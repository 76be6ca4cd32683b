import { randomBytes } from 'node:crypto';
import type { LearntLimit, PaceStore } from '../domain/campaigns/ports.js';
import type { TeamsPlace, TeamsPlaceStore, WelcomeStore } from '../domain/conversations/ports.js';
import type { VersionNameStore } from '../domain/course/ports.js';
import type { LinkStore } from '../domain/downloads/ports.js';
import type { ContactChannelStore } from '../domain/contact/ports.js';
import type { ContactChannel } from '../domain/contact/tickets.js';
import type { Table } from './table.js';

/**
 * Single named values: the contact channel, the download links' secret, the last Teams place, recent
 * welcomes, the delivery limit learnt, the policy versions' names.
 */
export type SettingsStore = ContactChannelStore &
  LinkStore &
  TeamsPlaceStore &
  WelcomeStore &
  PaceStore &
  VersionNameStore;

/** SettingsStore on a Table of single named values. */
export class TableSettingsStore implements SettingsStore {
  constructor(private readonly table: Table<unknown>) {}

  async contactChannel(): Promise<ContactChannel | undefined> {
    return (await this.table.get('contactChannel')) as ContactChannel | undefined;
  }

  async setContactChannel(channel: ContactChannel): Promise<void> {
    await this.table.update('contactChannel', () => channel);
  }

  async secret(): Promise<string> {
    const made = randomBytes(32).toString('base64url');
    await this.table.update('secret', (current) => (current === undefined ? made : undefined));
    return (await this.table.get('secret')) as string;
  }

  async useLink(linkId: string, at: string): Promise<boolean> {
    return (
      (await this.table.update(`usedLink/${linkId}`, (current) => (current === undefined ? at : undefined))) !==
      undefined
    );
  }

  async teamsPlace(): Promise<TeamsPlace | undefined> {
    return (await this.table.get('teamsPlace')) as TeamsPlace | undefined;
  }

  async setTeamsPlace(place: TeamsPlace): Promise<void> {
    await this.table.update('teamsPlace', (current) => {
      const known = current as TeamsPlace | undefined;
      return known?.serviceUrl === place.serviceUrl && known.tenantId === place.tenantId && known.botId === place.botId
        ? undefined
        : { ...place };
    });
  }

  async claimWelcome(conversationId: string, at: number, windowMs: number): Promise<boolean> {
    const claimed = await this.table.update(`welcome/${conversationId}`, (current) =>
      typeof current === 'number' && current > 0 && at - current < windowMs ? undefined : at,
    );
    return claimed !== undefined;
  }

  async endWelcome(conversationId: string): Promise<void> {
    await this.table.update(`welcome/${conversationId}`, (current) =>
      typeof current === 'number' && current > 0 ? 0 : undefined,
    );
  }

  async learntLimit(): Promise<LearntLimit | undefined> {
    return (await this.table.get('learntLimit')) as LearntLimit | undefined;
  }

  async setLearntLimit(learnt: LearntLimit): Promise<void> {
    await this.table.update('learntLimit', () => ({ limit: learnt.limit, at: learnt.at }));
  }

  async versionNames(): Promise<Readonly<Record<string, string>>> {
    return ((await this.table.get('versionNames')) as Record<string, string> | undefined) ?? {};
  }

  async recordVersionName(version: string, name: string): Promise<void> {
    await this.table.update('versionNames', (current) => {
      const names = (current as Record<string, string> | undefined) ?? {};
      return names[version] === name ? undefined : { ...names, [version]: name };
    });
  }
}
