import { odata } from '@azure/data-tables';
import type { RefresherDay } from '../../domain/refreshers/ports.js';
import type { Refreshers } from '../../domain/refreshers/refresher.js';
import { addDays } from '../../domain/time/calendar.js';
import { TableRefresherStore, type DueBucket, type DueCursor, type FiledDay } from '../refresherStores.js';
import type { Table } from '../table.js';
import type { AzureTable } from './azureTable.js';
import { escapeKey } from './keys.js';
import { readPage } from './rangeScan.js';
import { fromProperties } from './records.js';

/** What comes between the day and the shard in a due bucket's PartitionKey (`day#shard`, escaped). */
const SHARD_MARK = escapeKey('#');

/**
 * Refreshers on Azure Tables. The due index and the day counts have a partition per day (per day and shard for
 * the index), and days sort as their keys do: a run of days is one range query over PartitionKeys, page by page,
 * instead of a point read per day and shard.
 */
export class AzureRefresherStore extends TableRefresherStore {
  constructor(
    people: Table<Refreshers>,
    private readonly dueTable: AzureTable<DueBucket>,
    cursor: Table<DueCursor>,
    private readonly countsTable: AzureTable<RefresherDay>,
  ) {
    super(people, dueTable, cursor, countsTable);
  }

  override days(from: string, to: string): Promise<RefresherDay[]> {
    return this.countsTable.query(odata`PartitionKey ge ${escapeKey(from)} and PartitionKey le ${escapeKey(to)}`);
  }

  /** Only the days with buckets, as the range query finds them; a day's buckets in shard order. */
  protected override async *filedDays(from: string, to: string): AsyncGenerator<FiledDay> {
    const filter = odata`PartitionKey ge ${escapeKey(from)} and PartitionKey lt ${escapeKey(addDays(to, 1))}`;
    let day: string | undefined;
    let buckets: [number, readonly string[]][] = [];
    let token: string | undefined;
    do {
      const page = await readPage(this.dueTable.client, 'refresherDue.range', filter, token);
      for (const entity of page ?? []) {
        const key = entity.partitionKey ?? '';
        const mark = key.lastIndexOf(SHARD_MARK);
        const bucketDay = key.slice(0, mark);
        if (day !== undefined && bucketDay !== day) yield filedOn(day, buckets);
        if (bucketDay !== day) buckets = [];
        day = bucketDay;
        buckets.push([Number(key.slice(mark + SHARD_MARK.length)), fromProperties<DueBucket>(entity)?.members ?? []]);
      }
      token = page?.continuationToken;
    } while (token);
    if (day !== undefined) yield filedOn(day, buckets);
  }
}

function filedOn(day: string, buckets: [number, readonly string[]][]): FiledDay {
  return { day, members: buckets.sort(([a], [b]) => a - b).flatMap(([, members]) => members) };
}
