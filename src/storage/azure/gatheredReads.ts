import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { EntityKey } from './keys.js';
import { readPage } from './rangeScan.js';

type Entity = TableEntityResult<Record<string, unknown>>;

/** How long a read waits for others to go with it. */
const GATHER_MS = 5;
/** Fewer reads than this at once are made one by one. */
const FEWEST_FOR_RANGE = 16;
/** A range read goes on while each page it reads is worth this many of the point reads it replaces. */
const READS_PER_PAGE = 20;
/** Rows a page of one partition's range holds per read gathered: room for rows between them nobody asked for. */
const ROWS_PER_READ = 4;
/** The most entities Azure Tables returns in a page (a larger `$top` is refused). */
const MAX_PAGE = 1000;

interface Waiting {
  readonly key: EntityKey;
  readonly point: () => Promise<Entity | undefined>;
  readonly done: (entity: Promise<Entity | undefined> | Entity | undefined) => void;
}

/**
 * Point reads of one table asked for within GATHER_MS of each other (a campaign's updates of its people) made as one
 * read of the key range they span, page by page, while that costs fewer requests than reading them one by one: every
 * entity of the range is read, so a key it does not hold has no entity. What the range read does not reach is read
 * on its own. A read is as of when it is made, as a point read is: writes on its ETag find out if it moved since.
 */
export class GatheredReads {
  private waiting: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: TableClient,
    private readonly operation: string,
  ) {}

  read(key: EntityKey, point: () => Promise<Entity | undefined>): Promise<Entity | undefined> {
    return new Promise((done) => {
      this.waiting.push({ key, point, done });
      this.timer ??= setTimeout(() => void this.flush(), GATHER_MS);
    });
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.waiting.splice(0).sort((a, b) => order(a.key, b.key));
    const [first, last] = [batch[0], batch.at(-1)];
    if (batch.length < FEWEST_FOR_RANGE || !first || !last) {
      for (const w of batch) w.done(w.point());
      return;
    }
    // Keys of one partition (a send's deliveries) are read between their rows, in pages a few times their number.
    const one = first.key.partitionKey === last.key.partitionKey;
    const rows = odata`RowKey ge ${first.key.rowKey} and RowKey le ${last.key.rowKey}`;
    const filter = one
      ? `${odata`PartitionKey eq ${first.key.partitionKey}`} and ${rows}`
      : odata`PartitionKey ge ${first.key.partitionKey} and PartitionKey le ${last.key.partitionKey}`;
    const pageSize = one ? Math.min(MAX_PAGE, ROWS_PER_READ * batch.length) : undefined;
    let next = 0;
    try {
      let token: string | undefined;
      for (let pages = 0; next < batch.length && pages < Math.ceil(batch.length / READS_PER_PAGE); pages++) {
        const page = await readPage(this.client, this.operation, filter, token, pageSize);
        token = page?.continuationToken;
        const found = new Map<string, Entity>();
        for (const entity of page ?? []) found.set(idOf(entity.partitionKey ?? '', entity.rowKey ?? ''), entity);
        // The keys up to the last entity read are settled (all of them once the range is read to its end); a page
        // that ends empty before the end settles none.
        const reached = page?.at(-1);
        const upTo = !token
          ? last.key
          : reached && { partitionKey: reached.partitionKey ?? '', rowKey: reached.rowKey ?? '' };
        for (; upTo && next < batch.length && order((batch[next] as Waiting).key, upTo) <= 0; next++) {
          const w = batch[next] as Waiting;
          w.done(found.get(idOf(w.key.partitionKey, w.key.rowKey)));
        }
        if (!token) break;
      }
    } catch {
      // Read one by one instead: a point read reports a store that is out as it would have anyway.
    }
    for (const w of batch.slice(next)) w.done(w.point());
  }
}

const idOf = (partitionKey: string, rowKey: string) => `${partitionKey}\u0000${rowKey}`;

function order(a: EntityKey, b: EntityKey): number {
  if (a.partitionKey !== b.partitionKey) return a.partitionKey < b.partitionKey ? -1 : 1;
  return a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0;
}
