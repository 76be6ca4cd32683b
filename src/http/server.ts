// First: it quiets a deprecation warning restify's dependencies cause while loading.
import './quietRestify.js';
import restify from 'restify';
import type { Log } from '../log.js';
import type { StoreHealth } from '../storage/stores.js';
import { MAX_TOKEN_LENGTH, streamTo, type DownloadResult } from './downloadLinks.js';
import { refuse } from './refusals.js';

/** Largest request body accepted on /api/messages. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ServerDeps {
  /** Runs one Bot Framework request; owns the response. */
  readonly messages: (req: unknown, res: unknown) => Promise<void>;
  readonly version: string;
  readonly log: Log;
  /** Answers GET /downloads/:token (see createDownloads); without it there is no such route. */
  readonly downloads?: (token: string) => Promise<DownloadResult>;
  /** Whether the store answers (see storeProbe); without it /healthz only says the server runs. */
  readonly storeHealth?: () => Promise<StoreHealth>;
}

/** The HTTP face of the bot: POST /api/messages, GET /healthz and GET /downloads/:token. */
export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({
    name: 'postwise',
    handleUncaughtExceptions: false,
    maxParamLength: MAX_TOKEN_LENGTH,
  });
  server.use(uncompressedBodiesOnly);
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    try {
      await deps.messages(req, res);
    } catch (error) {
      deps.log.error('http.messages-failed', error);
      if (!res.headersSent)
        refuse(res, 500, { code: 'InternalError', message: 'The bot could not process this activity.' });
    }
  });

  // 503 takes the instance out of a load balancer's rotation until the store answers again.
  server.get('/healthz', async (_req, res) => {
    const store = (await deps.storeHealth?.()) ?? { ok: true };
    res.header('cache-control', 'no-store');
    if (store.ok) res.send(200, { status: 'ok', contentVersion: deps.version });
    else res.send(503, { status: 'unavailable', store: store.reason });
  });

  const downloads = deps.downloads;
  if (downloads) {
    server.get('/downloads/:token', async (req, res) => {
      const text = (status: number, message: string) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(message);
      };
      try {
        const result = await downloads(String((req.params as Record<string, string | undefined>).token ?? ''));
        deps.log.info('http.download', { status: result.status });
        if (result.status !== 200) return text(result.status, result.message);
        const whole = Buffer.isBuffer(result.body) ? result.body : undefined;
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${result.filename.replace(/[^\w.-]/g, '_')}"`,
          ...(whole ? { 'content-length': whole.length } : {}),
          'cache-control': 'no-store',
        });
        if (whole) return void res.end(whole);
        await streamTo(res, result.body as AsyncIterable<Buffer>);
      } catch (error) {
        deps.log.error('http.download-failed', error);
        if (!res.headersSent) text(500, 'The download could not be made. Try again later.');
        // Part of the file is out: breaking the connection tells the client it is not whole.
        else res.destroy();
      }
    });
  }

  return server;
}

/** Starts listening; resolves with the URL the server is reached at (the port the system chose for port 0). */
export async function listen(server: restify.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address();
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}

/** How long requests under way may take to finish once the server closes; then their connections are cut. */
const CLOSE_GRACE_MS = 2_000;

/** Stops listening; closes idle and keep-alive connections now, and those still busy after CLOSE_GRACE_MS. */
export function closeServer(server: restify.Server): Promise<void> {
  const http = server.server;
  return new Promise<void>((resolve) => {
    const cut = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
    http.close(() => {
      clearTimeout(cut);
      resolve();
    });
    http.closeIdleConnections();
  });
}

/**
 * Refuses compressed request bodies with 415 before reading them: restify would inflate gzip
 * without a limit (its size check counts compressed bytes), so a small body could fill memory.
 */
function uncompressedBodiesOnly(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') {
    delete req.headers['content-encoding'];
    next();
    return;
  }
  const error = { code: 'UnsupportedMediaType', message: 'Send the body uncompressed (no Content-Encoding).' };
  refuse(res, 415, error, { 'accept-encoding': 'identity' });
  next(false);
}
