/** Why a download failed, for the bot to explain. */
export type DownloadFailure = 'too-large' | 'status' | 'timeout' | 'network' | 'bad-url';

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

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Downloads a file (such as the pre-authenticated download URL of a file sent in Teams), refusing
 * as soon as the announced or received size exceeds `maxBytes`: a large file is never held in memory.
 */
export async function downloadFile(url: string, maxBytes: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError('bad-url', 'The file has no valid download address.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DownloadError('bad-url', `The file's download address is not http or https (${parsed.protocol}).`);
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const tooLarge = () => new DownloadError('too-large', `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`, maxBytes);
  try {
    const response = await fetch(parsed, { signal: abort.signal, redirect: 'follow' });
    if (!response.ok) {
      abort.abort();
      throw new DownloadError('status', `The download failed: the server answered ${response.status}.`, response.status);
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
    if (abort.signal.aborted) throw new DownloadError('timeout', `The download took longer than ${Math.round(timeoutMs / 1000)} s.`);
    throw new DownloadError('network', `The download failed (${(error as Error).message}).`);
  } finally {
    clearTimeout(timer);
  }
}
