import { MAX_ROSTER_BYTES, parseRosterCsv, type ParsedRoster } from './csvRoster.js';

/** Why a download failed, for the bot to explain. */
export type DownloadFailure = 'too-large' | 'status' | 'timeout' | 'network' | 'bad-url' | 'refused';

export class DownloadError extends Error {
  constructor(
    readonly reason: DownloadFailure,
    message: string,
    /** For 'too-large': the limit in bytes; for 'status': the HTTP status. */
    readonly detail?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/**
 * Where Teams puts a file someone sends the bot in a personal chat: the sender's OneDrive or the
 * tenant's SharePoint (`https://contoso-my.sharepoint.com/…`). Teams gives bots files only in the
 * commercial cloud (not in GCC High, DoD or 21Vianet), so this is every host there is.
 */
const FILE_HOST_SUFFIXES: readonly string[] = ['.sharepoint.com'];

/** Where the local Teams emulator (the Agents Playground) serves files. */
const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Redirects followed, each to an allowed address, before a download is given up. */
export const MAX_REDIRECTS = 5;

const DEFAULT_TIMEOUT_MS = 30_000;

export interface DownloadOptions {
  /** Local mode (no MicrosoftAppId): loopback addresses are allowed too. */
  readonly allowLoopback: boolean;
  readonly timeoutMs?: number;
}

/** Whether the bot may fetch this address: https on SharePoint, or in local mode the loopback address. */
export function isAllowedDownload(url: URL, allowLoopback: boolean): boolean {
  if (allowLoopback && LOOPBACK_HOSTS.includes(url.hostname))
    return url.protocol === 'http:' || url.protocol === 'https:';
  return (
    url.protocol === 'https:' && url.port === '' && FILE_HOST_SUFFIXES.some((suffix) => url.hostname.endsWith(suffix))
  );
}

/**
 * Downloads a file from the pre-authenticated download URL of a file sent in Teams, refusing any
 * other address (also as a redirect), and refusing as soon as the announced or received size
 * exceeds `maxBytes`: a large file is never held in memory.
 */
export async function downloadFile(url: string, maxBytes: number, options: DownloadOptions): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new DownloadError('bad-url', 'The file has no valid download address.');
  }
  const refused = () =>
    new DownloadError('refused', 'The file is not stored where Teams keeps files (SharePoint or OneDrive).');
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const tooLarge = () =>
    new DownloadError(
      'too-large',
      `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`,
      maxBytes,
    );
  try {
    let response: Response;
    for (let hop = 0; ; hop++) {
      if (!isAllowedDownload(target, options.allowLoopback)) throw refused();
      response = await fetch(target, { signal: abort.signal, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || location === null) break;
      await response.body?.cancel();
      if (hop === MAX_REDIRECTS)
        throw new DownloadError('refused', `The download was redirected more than ${MAX_REDIRECTS} times.`);
      target = new URL(location, target);
    }
    if (!response.ok) {
      abort.abort();
      throw new DownloadError(
        'status',
        `The download failed: the server answered ${response.status}.`,
        response.status,
      );
    }
    const length = Number(response.headers.get('content-length'));
    if (Number.isFinite(length) && length > maxBytes) {
      abort.abort();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          abort.abort();
          throw tooLarge();
        }
        chunks.push(chunk);
      }
    }
    return Buffer.concat(chunks, size);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    if (abort.signal.aborted)
      throw new DownloadError('timeout', `The download took longer than ${Math.round(timeoutMs / 1000)} s.`);
    throw new DownloadError('network', 'The download failed: the file host could not be reached.');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A roster CSV dropped into the chat, downloaded and read; throws DownloadError when it cannot be fetched or is too
 * large.
 */
export async function downloadRoster(url: string, allowLoopback: boolean): Promise<ParsedRoster> {
  return parseRosterCsv(await downloadFile(url, MAX_ROSTER_BYTES, { allowLoopback }));
}
