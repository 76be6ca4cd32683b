import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { RequestTally } from './countingProxy.js';

/** What the proxy does to the requests it passes on; every share is between 0 and 1. */
export interface Faults {
  /** Added before a request goes on: a delay drawn evenly between the two, in ms. */
  readonly latencyMs?: readonly [number, number];
  /** Answered 503 ServerBusy, as Azure Tables answers when a partition or account is too busy. */
  readonly busy?: number;
  /** Answered 500 OperationTimedOut, as Azure Tables answers when it gave up on a request. */
  readonly timedOut?: number;
  /** The connection reset before any answer. */
  readonly reset?: number;
  /** Every request held without an answer, the connection kept open: the store unreachable, not refusing. */
  readonly blackHole?: boolean;
  /** Only the requests this picks (by method and path with query) meet the faults; the others pass. */
  readonly only?: (method: string, path: string) => boolean;
}

/** How many requests met each fate since the proxy started. */
export interface FaultCounts {
  passed: number;
  busy: number;
  timedOut: number;
  reset: number;
  held: number;
}

/** A small deterministic random source, so a failing run can be repeated. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An Azure Tables error answer, in the shape the service sends (JSON with odata.error). */
function tablesError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ 'odata.error': { code, message: { lang: 'en-US', value: message } } });
  res.writeHead(status, {
    'content-type': 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8',
    'x-ms-error-code': code,
    'x-ms-request-id': `fault-${Date.now()}`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * An HTTP proxy between Postwise and Azurite that makes the faults a cloud store has: latency and
 * jitter, 503 ServerBusy, 500 OperationTimedOut, reset connections and a black hole. One proxy per
 * instance lets a test cut one instance off while the others reach the store.
 */
export class FaultProxy {
  readonly counts: FaultCounts = { passed: 0, busy: 0, timedOut: 0, reset: 0, held: 0 };
  /** The requests that passed, by method and table, and their bytes: set `prefix` to name tables without it. */
  readonly tally: RequestTally;
  private faults: Faults = {};
  private readonly held = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    private readonly random: () => number,
    prefix: string,
  ) {
    this.tally = new RequestTally(prefix);
  }

  /**
   * Starts a proxy on a free loopback port in front of `target` (Azurite's table endpoint); `prefix` is the
   * tables' prefix its tally takes off their names.
   */
  static async start(target: string, seed = 1, prefix = ''): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => void proxy?.handle(req, res));
    proxy = new FaultProxy(server, new URL(target), seeded(seed), prefix);
    const own = proxy;
    server.on('connection', (socket) => {
      own.sockets.add(socket);
      socket.on('close', () => own.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The proxy's address, to use in place of the store's, with the target's path. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.target.pathname.replace(/\/$/, '')}`;
  }

  /** From now on, these faults (replacing the ones before). */
  set(faults: Faults): void {
    this.faults = faults;
    if (!faults.blackHole) this.release();
  }

  /** No faults any more; requests held in the black hole are let go (their clients gave up long ago). */
  heal(): void {
    this.set({});
  }

  async close(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private release(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    }).catch(() => undefined);
    if (body === undefined) return;
    const { latencyMs, busy = 0, timedOut = 0, reset = 0, blackHole, only } = this.faults;
    if (only && !only(req.method ?? 'GET', req.url ?? '/')) {
      this.counts.passed += 1;
      return this.forward(req, body, res);
    }
    if (blackHole) {
      this.counts.held += 1;
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (latencyMs) {
      const [low, high] = latencyMs;
      await new Promise((resolve) => setTimeout(resolve, low + this.random() * (high - low)));
    }
    const roll = this.random();
    if (roll < reset) {
      this.counts.reset += 1;
      req.socket.destroy();
    } else if (roll < reset + busy) {
      this.counts.busy += 1;
      tablesError(res, 503, 'ServerBusy', 'The server is busy.');
    } else if (roll < reset + busy + timedOut) {
      this.counts.timedOut += 1;
      tablesError(res, 500, 'OperationTimedOut', 'Operation could not be completed within the specified time.');
    } else {
      this.counts.passed += 1;
      this.forward(req, body, res);
    }
  }

  private forward(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const counted = this.tally.record(req.method ?? 'GET', req.url ?? '/', body.length);
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let bytesOut = 0;
        answer.on('data', (chunk: Buffer) => (bytesOut += chunk.length));
        answer.on('end', () => counted.answered(bytesOut));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    upstream.end(body);
  }
}
