import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { FiguresCheckpoints, SavedCheckpoint } from '../../domain/figures/checkpoint.js';
import { inParallel } from '../../domain/paging/inParallel.js';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { BATCH } from './deliveryTable.js';
import { statusOf } from './status.js';

const deflated = promisify(deflate);
const inflated = promisify(inflate);

/** Tables allows 64 KiB a binary property. */
const PROPERTY_BYTES = 64 * 1024;
/**
 * Properties per entity: an entity holds 1 MiB. Azure counts binary values by their bytes (15 of 64 KiB would
 * fit), Azurite by the request's base64 (4/3 as long): 10 of 64 KiB are 873,816 characters of base64.
 */
const PROPERTIES = 10;
const ENTITY_BYTES = PROPERTY_BYTES * PROPERTIES;
/** Chunks written or read at once. */
const IN_FLIGHT = 8;
const POINTER = { partitionKey: 'pointer', rowKey: '' };

/** The entity that names the checkpoint in use, and the one before (kept for instances reading it still). */
interface Pointer {
  readonly id: string;
  readonly chunks: number;
  /** The lease generation of the leader that saved it. */
  readonly leader: number;
  readonly version: string;
  readonly position: number;
  readonly bytes: number;
  readonly previousId: string;
  readonly previousChunks: number;
}

/**
 * HR's figures saved on their own Azure table, zlib-compressed, in entities of 10 binary properties of 64 KiB,
 * each saved checkpoint under a partition of its own (`c-<id>`); the pointer entity (partition `pointer`) is
 * switched to it, on its ETag, only once every chunk is durable, so a reader finds only whole checkpoints.
 * The one it replaced is kept (an instance may be reading it); the one before that is deleted. A leader
 * whose lease generation is older than the pointer's does not switch it.
 */
export class AzureFiguresCheckpoints implements FiguresCheckpoints {
  constructor(readonly client: TableClient) {}

  async latest(): Promise<SavedCheckpoint | undefined> {
    const pointer = await this.pointer();
    if (!pointer) return undefined;
    return {
      version: pointer.version,
      position: pointer.position,
      storedBytes: pointer.bytes,
      read: () => this.read(pointer),
    };
  }

  async save(
    checkpoint: { version: string; position: number; bytes: Uint8Array },
    generation: number,
  ): Promise<boolean> {
    const before = await this.pointer();
    if (before && before.leader > generation) return false;
    const bytes = await deflated(checkpoint.bytes);
    const id = `${generation.toString(36).padStart(8, '0')}-${randomBytes(6).toString('hex')}`;
    const chunks = Math.max(1, Math.ceil(bytes.length / ENTITY_BYTES));
    try {
      await inParallel(
        Array.from({ length: chunks }, (_, i) => i),
        IN_FLIGHT,
        (i) => this.writeChunk(id, i, bytes.subarray(i * ENTITY_BYTES, (i + 1) * ENTITY_BYTES)),
      );
    } catch (error) {
      await this.drop(id, chunks).catch(() => undefined);
      throw error;
    }
    const pointer: Pointer = {
      id,
      chunks,
      leader: generation,
      version: checkpoint.version,
      position: checkpoint.position,
      bytes: bytes.length,
      previousId: before?.id ?? '',
      previousChunks: before?.chunks ?? 0,
    };
    const entity = { ...POINTER, ...pointer };
    try {
      await beforeDeadline('checkpoints.switch', deadlineFromNow(), (options) =>
        before
          ? this.client.updateEntity(entity, 'Replace', { ...options, etag: before.etag })
          : this.client.createEntity(entity, options),
      );
    } catch (error) {
      // Another save switched the pointer first (409, 412), or the switch failed; or it landed, its answer lost
      // (and its retry met itself): the pointer says which (unread, the chunks are kept: it may name them).
      if ((await this.pointer())?.id !== id) {
        await this.drop(id, chunks);
        if (statusOf(error) !== 409 && statusOf(error) !== 412) throw error;
        return false;
      }
    }
    if (before?.previousId) await this.drop(before.previousId, before.previousChunks);
    return true;
  }

  private async pointer(): Promise<(Pointer & { etag: string }) | undefined> {
    try {
      return await beforeDeadline('checkpoints.pointer', deadlineFromNow(), (options) =>
        this.client.getEntity<Pointer>(POINTER.partitionKey, POINTER.rowKey, options),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async read(pointer: Pointer): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    await inParallel(
      Array.from({ length: pointer.chunks }, (_, i) => i),
      IN_FLIGHT,
      async (i) => {
        const entity = await beforeDeadline('checkpoints.read', deadlineFromNow(), (options) =>
          this.client.getEntity<Record<string, unknown>>(`c-${pointer.id}`, rowKeyOf(i), options),
        );
        const count = Number(entity.n);
        const properties = Array.from({ length: count }, (_, p) => entity[`d${p}`]);
        if (!properties.every((p): p is Uint8Array => p instanceof Uint8Array))
          throw new Error('A checkpoint chunk is not binary.');
        parts[i] = Buffer.concat(properties);
      },
    );
    const bytes = Buffer.concat(parts);
    if (bytes.length !== pointer.bytes) throw new Error('A checkpoint is not the size its pointer says.');
    return new Uint8Array(await inflated(bytes));
  }

  private async writeChunk(id: string, i: number, bytes: Uint8Array): Promise<void> {
    const entity: Record<string, unknown> = { partitionKey: `c-${id}`, rowKey: rowKeyOf(i) };
    let n = 0;
    for (let at = 0; at < bytes.length; at += PROPERTY_BYTES)
      entity[`d${n++}`] = bytes.subarray(at, at + PROPERTY_BYTES);
    entity.n = n;
    await beforeDeadline('checkpoints.write', deadlineFromNow(), (options) =>
      this.client.upsertEntity(entity as { partitionKey: string; rowKey: string }, 'Replace', options),
    );
  }

  /** Deletes a checkpoint's chunks, a transaction of up to 100 at a time. */
  private async drop(id: string, chunks: number): Promise<void> {
    for (let i = 0; i < chunks; i += BATCH) {
      const actions = Array.from({ length: Math.min(BATCH, chunks - i) }, (_, j): TransactionAction => [
        'delete',
        { partitionKey: `c-${id}`, rowKey: rowKeyOf(i + j) },
      ]);
      await beforeDeadline('checkpoints.drop', deadlineFromNow(), (options) =>
        this.client.submitTransaction(actions, options),
      ).catch((error: unknown) => {
        // Dropped already (or never written whole): delete what is there one by one.
        if (statusOf(error) !== 404) throw error;
        return Promise.all(
          actions.map(([, e]) => this.client.deleteEntity(e.partitionKey, e.rowKey).catch(() => undefined)),
        );
      });
    }
  }
}

const rowKeyOf = (i: number) => i.toString().padStart(6, '0');
