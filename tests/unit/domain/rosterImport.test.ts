import { describe, expect, it } from 'vitest';
import { RosterImportService } from '../../../src/domain/roster/rosterImport.js';
import type { RosterRow } from '../../../src/domain/roster/roster.js';
import { RosterService } from '../../../src/domain/roster/rosterService.js';
import type { Clock } from '../../../src/domain/time/clock.js';
import { memoryStores } from '../../../src/storage/memory.js';

const clock: Clock = { now: () => new Date('2026-11-02T09:00:00Z') };
const row = (name: string, department = 'Office'): RosterRow => ({
  name,
  email: `${name.toLowerCase()}@contoso.example`,
  department,
  role: 'Clerk',
});

async function world() {
  const stores = memoryStores();
  const roster = new RosterService(stores.roster, clock);
  await roster.apply([row('Ann'), row('Bob'), row('Cem')], 'csv');
  return { stores, roster, imports: new RosterImportService(roster, stores.uploads, clock) };
}

describe('RosterImportService', () => {
  it('previews what a file would change without changing the roster, and imports it once on confirmation', async () => {
    const { stores, imports } = await world();
    const file = { name: 'staff.csv', rows: [row('Ann', 'Sales'), row('Bob'), row('Dee')], problems: [], keep: [] };
    const preview = await imports.preview('hr-1', file);
    expect(preview).toMatchObject({
      valid: 3,
      change: { added: 1, updated: 1, reactivated: 0, deactivated: 1, unchanged: 1 },
    });
    expect((await stores.roster.get('ann@contoso.example'))?.department).toBe('Office');
    expect(await stores.roster.get('dee@contoso.example')).toBeUndefined();

    expect(await imports.confirm(preview.upload, 'hr-2', false)).toEqual({ kind: 'unknown' });
    expect(await imports.confirm('no-such-upload', 'hr-1', false)).toEqual({ kind: 'unknown' });
    expect(await imports.confirm(preview.upload, 'hr-1', false)).toEqual({
      kind: 'imported',
      change: { added: 1, updated: 1, reactivated: 0, deactivated: 1, unchanged: 1 },
      rows: 3,
      skipped: 0,
    });
    expect((await stores.roster.get('ann@contoso.example'))?.department).toBe('Sales');
    expect((await stores.roster.get('cem@contoso.example'))?.active).toBe(false);
    expect(await imports.confirm(preview.upload, 'hr-1', false)).toEqual({ kind: 'used' });
  });

  it('imports a file with bad rows only when HR accepted importing the valid rows alone, and keeps the people on the bad rows', async () => {
    const { stores, imports } = await world();
    const file = {
      name: 'staff.csv',
      rows: [row('Ann')],
      problems: [{ line: 3, reason: 'Name is missing' }],
      keep: ['Bob@Contoso.example'],
    };
    const preview = await imports.preview('hr-1', file);
    expect(preview.change).toEqual({ added: 0, updated: 0, reactivated: 0, deactivated: 1, unchanged: 1 });
    expect(await imports.confirm(preview.upload, 'hr-1', false)).toEqual({ kind: 'stale' });
    expect((await stores.roster.get('cem@contoso.example'))?.active).toBe(true);
    expect(await imports.confirm(preview.upload, 'hr-1', true)).toMatchObject({
      kind: 'imported',
      rows: 1,
      skipped: 1,
    });
    expect((await stores.roster.get('bob@contoso.example'))?.active).toBe(true);
    expect((await stores.roster.get('cem@contoso.example'))?.active).toBe(false);
  });

  it('keeps nothing for a file without a valid row, so there is nothing to confirm', async () => {
    const { stores, imports } = await world();
    const preview = await imports.preview('hr-1', {
      name: 'empty.csv',
      rows: [],
      problems: [{ line: 0, reason: 'The file is empty' }],
      keep: [],
    });
    expect(preview).toMatchObject({
      valid: 0,
      change: { added: 0, updated: 0, reactivated: 0, deactivated: 0, unchanged: 0 },
    });
    expect(await stores.uploads.get(preview.upload)).toBeUndefined();
    expect(await imports.confirm(preview.upload, 'hr-1', true)).toEqual({ kind: 'unknown' });
    expect((await stores.roster.list()).every((m) => m.active)).toBe(true);
  });
});
