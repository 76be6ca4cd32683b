import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/domain/campaigns/assignment.js';
import { CoverageService } from '../../src/domain/coverage/coverageService.js';
import type { Progress } from '../../src/domain/course/progress.js';
import { CoverageIndex, type IndexSources } from '../../src/domain/figures/coverageIndex.js';
import type { Member } from '../../src/domain/roster/roster.js';
import { UnderstandingService } from '../../src/domain/understanding/understandingService.js';
import type { AzureTable } from '../../src/storage/azure/azureTable.js';
import { EMAIL_BOUNDS, HEX_BOUNDS, WHOLE_TABLE } from '../../src/storage/azure/keyRanges.js';
import { openAzureStores, tableOn, TablesConnection } from '../../src/storage/azure/stores.js';
import { copyRecords } from '../../src/storage/migrate.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { completeCourseInStore, loadCourse } from '../support/hrFixtures.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

const account = () => ({ connectionString: azurite.connectionString });

/** Keys in every range and on both sides of every bound, and some no range was cut for. */
function keysAround(bounds: readonly string[]): string[] {
  const odd = ['', '!', '0', 'A', 'Z', "o'neil", 'é', '~', '%', '/x', '\u0001'];
  const near = bounds.flatMap((b) => [b, `${b}0`, `${b}zz`, `${String.fromCharCode(b.charCodeAt(0) - 1)}~`]);
  return [...new Set([...odd, ...near].map((k) => `${k}@contoso.example`))];
}

describe('a table read over key ranges (Azurite)', () => {
  for (const [name, bounds] of [
    ['hex', HEX_BOUNDS],
    ['e-mail', EMAIL_BOUNDS],
  ] as const) {
    it(`gives every record exactly once, in the order one read gives, over the ${name} ranges`, async () => {
      const connection = new TablesConnection(account(), uniquePrefix());
      await connection.createTables();
      const table = tableOn(connection, 'members') as AzureTable<{ key: string }>;
      const keys = keysAround(bounds);
      // More than one page (1,000 rows) in one range: its reader follows the continuation.
      const many = Array.from({ length: 1_100 }, (_, i) => `c${String(i).padStart(5, '0')}@contoso.example`);
      await copyRecords(
        table,
        [...keys, ...many].map((key) => [key, { key }] as const),
      );
      const ranged = await table.scanRanges((r) => r.key, bounds);
      const whole = await table.scanRanges((r) => r.key, WHOLE_TABLE);
      expect(ranged.length).toBe(keys.length + many.length);
      expect(new Set(ranged).size).toBe(ranged.length);
      expect([...ranged].sort()).toEqual([...keys, ...many].sort());
      expect(ranged).toEqual(whole);
      const pages: (readonly string[])[] = [];
      for await (const page of table.scanPages((r) => r.key, 300)) pages.push(page);
      expect(pages.flat().sort()).toEqual([...whole].sort());
      expect(Math.max(...pages.map((page) => page.length))).toBeLessThanOrEqual(300);
    }, 60_000);
  }
});

describe("HR's figures built over key ranges (Azurite)", () => {
  it('show the same cards as figures built from whole tables', async () => {
    const course = await loadCourse();
    const prefix = uniquePrefix();
    const stores = await openAzureStores(account(), prefix);
    const next = lcg(7);
    const letters = 'abcdefghijklmnopqrstuvwxyz0';
    const hex = '0123456789abcdef';
    for (let i = 0; i < 60; i++) {
      const key = `${letters[Math.floor(next() * letters.length)]}person${i}@contoso.example`;
      const aad = `${hex[i % 16]}${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`;
      await stores.roster.put({
        key,
        email: key,
        name: `Person ${i}`,
        department: ['Sales', 'Finance', 'IT'][i % 3] as string,
        role: ['Clerk', 'Lead'][i % 2] as string,
        aadObjectId: aad,
        active: i % 11 !== 0,
        source: 'csv',
        updatedAt: '2026-11-01T00:00:00Z',
      });
      if (i % 3 === 0) await completeCourseInStore(stores, course, aad);
      else if (i % 3 === 1)
        await stores.progress.openLesson(aad, course.lessons[0]?.id ?? '', '2026-11-02T00:00:00Z', 1);
      if (i % 2 === 0) await stores.assignments.update(key, () => ({ key, due: i % 4 ? '2026-11-10' : '2026-12-01' }));
    }
    const connection = new TablesConnection(account(), prefix);
    const whole = <T>(name: string) => ({
      scan: <R>(pick: (record: Readonly<T>) => R) =>
        (tableOn(connection, name) as AzureTable<T>).scanRanges(pick, WHOLE_TABLE),
    });
    const serialSources: IndexSources = {
      ...stores,
      progress: whole<Progress>('progress'),
      roster: whole<Member>('members'),
      assignments: whole<Assignment>('assignments'),
    };
    const [ranged, serial] = [new CoverageIndex(course), new CoverageIndex(course)];
    await Promise.all([ranged.refresh(stores), serial.refresh(serialSources)]);
    const clock = { now: () => new Date('2026-11-20T12:00:00Z') };
    const [a, b] = [ranged, serial].map(
      (index) => new CoverageService(course, stores, clock, 'Europe/Amsterdam', index),
    );
    const coverage = await a?.coverage();
    expect(coverage?.overall.completed).toBeGreaterThan(0);
    expect(coverage?.overall.overdue).toBeGreaterThan(0);
    expect(coverage).toEqual(await b?.coverage());
    expect(await a?.reports({ includeInactive: true })).toEqual(await b?.reports({ includeInactive: true }));
    for (const status of ['not-started', 'in-progress', 'completed'] as const)
      expect(await a?.firstReports(status, 5)).toEqual(await b?.firstReports(status, 5));
    expect(await new UnderstandingService(course, stores, ranged).understanding()).toEqual(
      await new UnderstandingService(course, stores, serial).understanding(),
    );
  }, 120_000);
});

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}
