/** Requests and bytes that passed to the store, all told, by HTTP method and by table. */
export interface Traffic {
  requests: number;
  bytesIn: number;
  bytesOut: number;
  readonly byMethod: Record<string, number>;
  readonly byTable: Record<string, number>;
  /** The bytes that came back, by table (a tally always counts them). */
  readonly bytesOutByTable?: Record<string, number>;
}

const emptyTraffic = (): Traffic & { bytesOutByTable: Record<string, number> } => ({
  requests: 0,
  bytesIn: 0,
  bytesOut: 0,
  byMethod: {},
  byTable: {},
  bytesOutByTable: {},
});

/**
 * The table a Tables request is for, its deployment prefix taken off: `/account/postwiseprogress(PartitionKey=…)`
 * is `progress`; a transaction (`$batch`) and the table list (`Tables`) keep those names.
 */
export function tableOf(path: string, prefix = ''): string {
  const name = (path.split('?')[0] ?? '').split('/').at(-1)?.split('(')[0] ?? '';
  return prefix !== '' && name.toLowerCase().startsWith(prefix.toLowerCase()) ? name.slice(prefix.length) : name;
}

/** Counts the requests a proxy passes on: per method, per table, and the bytes each way. */
export class RequestTally {
  private total = emptyTraffic();

  /** `prefix` is the tables' deployment prefix (POSTWISE_TABLE_PREFIX), taken off the table names. */
  constructor(private readonly prefix = '') {}

  record(method: string, path: string, bytesIn: number): { answered(bytesOut: number): void } {
    const table = tableOf(path, this.prefix);
    const total = this.total;
    total.requests += 1;
    total.bytesIn += bytesIn;
    total.byMethod[method] = (total.byMethod[method] ?? 0) + 1;
    total.byTable[table] = (total.byTable[table] ?? 0) + 1;
    return {
      answered: (bytesOut) => {
        total.bytesOut += bytesOut;
        total.bytesOutByTable[table] = (total.bytesOutByTable[table] ?? 0) + bytesOut;
      },
    };
  }

  /** Everything counted so far (a copy). */
  now(): Traffic {
    const { byMethod, byTable, bytesOutByTable, ...sums } = this.total;
    return { ...sums, byMethod: { ...byMethod }, byTable: { ...byTable }, bytesOutByTable: { ...bytesOutByTable } };
  }

  /** What was counted since `before` (an earlier now()). */
  since(before: Traffic): Traffic {
    const after = this.now();
    const minus = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries(Object.entries(a).flatMap(([k, n]) => (n - (b[k] ?? 0) > 0 ? [[k, n - (b[k] ?? 0)]] : [])));
    return {
      requests: after.requests - before.requests,
      bytesIn: after.bytesIn - before.bytesIn,
      bytesOut: after.bytesOut - before.bytesOut,
      byMethod: minus(after.byMethod, before.byMethod),
      byTable: minus(after.byTable, before.byTable),
      bytesOutByTable: minus(after.bytesOutByTable ?? {}, before.bytesOutByTable ?? {}),
    };
  }
}

/** One line to print a count with: `12 requests (GET 8, PATCH 4; progress 6, events 6), 3.1 kB in, 9.0 kB out`. */
export function describeTraffic(traffic: Traffic): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  return (
    `${traffic.requests} requests (${list(traffic.byMethod)}; ${list(traffic.byTable)}), ` +
    `${kB(traffic.bytesIn)} in, ${kB(traffic.bytesOut)} out`
  );
}

/** The requests `operation` made, counted once the store has had no request for 300 ms after it. */
export async function counted(tally: RequestTally, operation: () => Promise<unknown>): Promise<Traffic> {
  const before = tally.now();
  await operation();
  for (let last = -1; last !== tally.now().requests;) {
    last = tally.now().requests;
    await new Promise((r) => setTimeout(r, 300));
  }
  return tally.since(before);
}
