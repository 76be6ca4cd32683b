import { writeFile } from 'node:fs/promises';
import type { Log } from '../../domain/log.js';
import { StoreUnavailable } from '../../domain/storeUnavailable.js';
import type { StoreHealth } from '../stores.js';

/** Error codes that mean the disk refuses writes: full, over quota, read-only, not allowed, or failing. */
const DISK_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO']);

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** Whether an error is the disk refusing a write (as opposed to a bug). */
export function isDiskFault(error: unknown): boolean {
  const code = codeOf(error);
  return typeof code === 'string' && DISK_FAULTS.has(code);
}

/**
 * Watches the embedded store's writes: logs one line when they start failing and one when they
 * work again, never one per request, and answers /healthz by writing a small probe file.
 */
export class DiskWatch {
  private failing: string | undefined;

  constructor(
    private readonly probeFile: string,
    private readonly log: Log | undefined,
  ) {}

  /** Runs one write of the store, noting whether it worked; a disk fault becomes StoreUnavailable. */
  async write<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.worked();
      return result;
    } catch (error) {
      if (!isDiskFault(error)) throw error;
      this.failed(error);
      throw new StoreUnavailable(operation, 'disk', { cause: error });
    }
  }

  /** Healthy when the data folder takes a write now. */
  async health(): Promise<StoreHealth> {
    try {
      await writeFile(this.probeFile, `${Date.now()}\n`);
    } catch (error) {
      if (!isDiskFault(error)) throw error;
      this.failed(error);
      return { ok: false, reason: 'data folder not writable' };
    }
    return { ok: true };
  }

  private failed(error: unknown): void {
    if (this.failing !== undefined) return;
    this.failing = String(codeOf(error));
    this.log?.error('store.writes-failing', error);
  }

  private worked(): void {
    if (this.failing === undefined) return;
    this.log?.info('store.writes-working', { after: this.failing });
    this.failing = undefined;
  }
}
