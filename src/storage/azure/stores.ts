import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { Delivery } from '../../domain/campaigns/delivery.js';
import { ConfigError } from '../../domain/configError.js';
import { storesOn, type Stores } from '../stores.js';
import type { Table } from '../table.js';
import { announcedStores } from './announcedStores.js';
import { AzureTable, statusOf, type KeptWrites } from './azureTable.js';
import { AzureChangeLog } from './changeLog.js';
import { AzureDeliveryStore, deliveryIndex } from './deliveryTable.js';
import { AzureEventLog } from './eventLog.js';
import { AzureFiguresCheckpoints } from './figuresCheckpoints.js';
import { tablesHealth } from './health.js';
import { byFirstSegment, ownPartition, type KeyMap } from './keys.js';
import { AzureRefresherStore } from './refresherTables.js';

/** The storage account: its table endpoint (signed in with DefaultAzureCredential), or a connection string. */
export type TablesAccount = { readonly url: string } | { readonly connectionString: string };

/**
 * Every table the stores use, besides `events`, `leases`, `changes` and `checkpoints`; keys `group/item` where the
 * table says so.
 */
export const TABLES: Readonly<Record<string, KeyMap>> = {
  progress: ownPartition,
  conversations: ownPartition,
  tickets: ownPartition,
  counters: ownPartition,
  threads: ownPartition,
  requestKeys: byFirstSegment,
  settings: ownPartition,
  faq: ownPartition,
  members: ownPartition,
  membersByAad: ownPartition,
  campaigns: ownPartition,
  deliveries: byFirstSegment,
  assignments: ownPartition,
  inventoryRespondents: ownPartition,
  inventoryCounts: ownPartition,
  inventoryTotals: ownPartition,
  rosterUploads: ownPartition,
  lessonTexts: ownPartition,
  refreshers: ownPartition,
  refresherDue: ownPartition,
  refresherCursor: ownPartition,
  refresherCounts: ownPartition,
  schedules: ownPartition,
  xapiOutbox: ownPartition,
  vivaOutbox: ownPartition,
};

/** The names of every table, as the embedded store names them. */
export const TABLE_NAMES = [...Object.keys(TABLES), 'events', 'leases', 'changes', 'checkpoints'] as const;

/** The variable that configures the account, for messages. */
const variableOf = (account: TablesAccount) =>
  'url' in account ? 'POSTWISE_TABLES_URL' : 'POSTWISE_TABLES_CONNECTION_STRING';

/** Opens TableClients on one account. */
export class TablesConnection {
  private readonly credential: TokenCredential | undefined;

  constructor(
    private readonly account: TablesAccount,
    private readonly prefix: string,
  ) {
    this.credential = 'url' in account ? new DefaultAzureCredential() : undefined;
  }

  client(name: string): TableClient {
    const tableName = `${this.prefix}${name}`;
    const options: TableServiceClientOptions = {
      retryOptions: { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
    };
    if ('url' in this.account) {
      return new TableClient(this.account.url, tableName, this.credential as TokenCredential, {
        ...options,
        allowInsecureConnection: this.account.url.startsWith('http:'),
      });
    }
    const insecure = /TableEndpoint=http:|DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true/i.test(
      this.account.connectionString,
    );
    try {
      return TableClient.fromConnectionString(this.account.connectionString, tableName, {
        ...options,
        allowInsecureConnection: insecure,
      });
    } catch {
      throw new ConfigError(
        'POSTWISE_TABLES_CONNECTION_STRING',
        'is not a storage account connection string with a table endpoint',
      );
    }
  }

  /** Creates the tables that are not there yet; a refused or unreachable account stops here with a clear message. */
  async createTables(): Promise<void> {
    try {
      await Promise.all(TABLE_NAMES.map((name) => this.client(name).createTable()));
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(variableOf(this.account), whyUnusable(error));
    }
  }
}

/** What went wrong with the account, in our words: never the SDK's message. */
function whyUnusable(error: unknown): string {
  const status = statusOf(error);
  const name = (error as { name?: unknown } | null)?.name;
  if (
    name === 'CredentialUnavailableError' ||
    name === 'AuthenticationError' ||
    name === 'AggregateAuthenticationError'
  ) {
    return (
      'names an account, but no Azure identity could sign in to it (a managed identity in Azure, or az ' +
      'login on a developer machine)'
    );
  }
  if (status === 401 || status === 403) {
    return (
      `names an account that refused access (HTTP ${status}): the identity needs the Storage Table Data ` +
      'Contributor role on it, or the key is wrong'
    );
  }
  if (status === undefined) return 'names an account that could not be reached';
  return `names an account that answered HTTP ${status} when its tables were created`;
}

/**
 * Assignments are written by a campaign and, soon after, by the delivery of its message: the second write goes on
 * the ETag of the first, with no read, when one process makes both (a campaign of this many people, over this long).
 */
const KEPT_ASSIGNMENT_WRITES: KeptWrites = { rows: 20_000, ms: 60 * 60_000 };

/** The Azure table behind one of the stores' tables, with its key layout (and, for deliveries, its index). */
export function tableOn(connection: TablesConnection, name: string): AzureTable<unknown> {
  const keys = TABLES[name];
  if (!keys) throw new Error(`No Azure table is defined for ${name}`);
  const client = connection.client(name);
  return name === 'deliveries'
    ? (new AzureTable<Delivery>(client, name, keys, deliveryIndex) as AzureTable<unknown>)
    : new AzureTable<unknown>(
        client,
        name,
        keys,
        undefined,
        name === 'assignments' ? KEPT_ASSIGNMENT_WRITES : undefined,
      );
}

/**
 * Every store on Azure Tables, tables created on first start; the writes HR's figures follow announced, and
 * their checkpoints beside.
 */
export async function openAzureStores(account: TablesAccount, prefix: string): Promise<Stores> {
  const connection = new TablesConnection(account, prefix);
  await connection.createTables();
  const tables = new Map<string, AzureTable<unknown>>();
  const table = <T>(name: string): Table<T> => {
    const made = tableOn(connection, name);
    tables.set(name, made);
    return made as Table<T>;
  };
  const probed = connection.client('leases');
  const health = (signal: AbortSignal) => tablesHealth(probed, signal);
  const stores = storesOn(table, new AzureEventLog(connection.client('events')), async () => {}, health);
  const azure = <T>(name: string) => tables.get(name) as AzureTable<T>;
  const azureStores = {
    ...stores,
    deliveries: new AzureDeliveryStore(azure<Delivery>('deliveries')),
    refreshers: new AzureRefresherStore(
      azure('refreshers'),
      azure('refresherDue'),
      azure('refresherCursor'),
      azure('refresherCounts'),
    ),
  };
  return {
    ...announcedStores(azureStores, new AzureChangeLog(connection.client('changes'))),
    checkpoints: new AzureFiguresCheckpoints(connection.client('checkpoints')),
    // A campaign's deliveries, added or sent, are read back a key range at a time, not one by one.
    changedRecords: {
      progress: stores.progress,
      roster: stores.roster,
      assignments: stores.assignments,
      deliveries: { get: (id) => azure<Delivery>('deliveries').getGathered(id) },
    },
  };
}
