import { describe, expect, it } from 'vitest';
import { InventoryService } from '../../../src/domain/inventory/inventoryService.js';
import { memoryStores } from '../../../src/storage/memory.js';

const ACK = { version: 'v1', at: '2026-11-02T09:09:00.000Z', correct: 4, total: 4 };

/** An InventoryService on memory stores, with these people having finished the course. */
async function inventory(...finished: string[]) {
  const stores = memoryStores();
  for (const id of finished) await stores.progress.recordAcknowledgement(id, ACK);
  return { stores, service: new InventoryService(stores.inventory, stores.progress) };
}

describe('InventoryService', () => {
  it('takes an answer only from someone who finished the course, and then only once', async () => {
    const { stores, service } = await inventory('ann');
    await stores.progress.openLesson('bob', 'l1', ACK.at);
    expect(await service.answer('bob', 'linkedin')).toEqual({ kind: 'not-finished' });
    expect(await service.answer('cem', 'linkedin')).toEqual({ kind: 'not-finished' });
    expect(await stores.inventory.answered('bob')).toBe(false);
    expect(await service.offered('ann')).toBe(true);
    expect(await service.answer('ann', 'linkedin,tiktok')).toEqual({ kind: 'recorded' });
    expect(await service.offered('ann')).toBe(false);
    expect(await service.answer('ann', 'youtube')).toEqual({ kind: 'already' });
    expect(await stores.inventory.counts()).toEqual({ linkedin: 1, tiktok: 1 });
  });

  it('refuses a choice of nothing, of an unknown platform, or of "none" with a platform, and records nothing', async () => {
    const { stores, service } = await inventory('ann');
    for (const choice of ['', ',', 'myspace', 'linkedin,myspace', 'none,linkedin', undefined, 42, ['linkedin']]) {
      expect(await service.answer('ann', choice)).toEqual({ kind: 'invalid' });
    }
    expect(await stores.inventory.answered('ann')).toBe(false);
    expect(await stores.inventory.counts()).toEqual({});
    expect(await service.answer('ann', 'none')).toEqual({ kind: 'recorded' });
  });

  it('shows totals only each time five more people have answered, so no single answer can be read off', async () => {
    const people = Array.from({ length: 11 }, (_, i) => `p${i}`);
    const { service } = await inventory(...people);
    const seen: number[] = [];
    for (const [i, person] of people.entries()) {
      await service.answer(person, i === 0 ? 'x' : 'linkedin');
      seen.push((await service.totals()).respondents);
    }
    expect(seen).toEqual([0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10]);
    expect(await service.totals()).toEqual({ respondents: 10, counts: { x: 1, linkedin: 9 } });
  });
});
