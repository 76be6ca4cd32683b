// Issue 25's million benchmark (`npm run bench -- million`, not in CI: several minutes, some 4 GB of heap):
// HR's figures fed by the in-memory store (src/storage/memory.ts) with 100,000 and then 1,000,000 members, in
// the real app (in process, HR talking to it over loopback). Reports the time to build the figures, their heap
// bytes per member (after global.gc(): run under --expose-gc, as bench/all.ts does), the time of a catch-up on
// 1,000 progress records written by "another instance" (straight into the store, past the figures), the time
// to render the coverage card and to download HR's export. BENCH_MILLION_MEMBERS changes the larger size.
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import type { Course } from '../src/domain/course/course.js';
import type { LoggedEvents } from '../src/domain/course/ports.js';
import type { Member } from '../src/domain/roster/roster.js';
import { MemoryEventLog, MemoryTable } from '../src/storage/memory.js';
import { storesOn, type Stores } from '../src/storage/stores.js';
import type { Table } from '../src/storage/table.js';
import { actionsOf, startHarness } from '../tests/support/harness.js';
import { hrUser, HR_ID } from '../tests/support/hrPeople.js';
import { coursePath, seededRandom } from './coursePath.js';
import { progressAfter } from './progressAfter.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';

const SIZES = [100_000, Number(process.env.BENCH_MILLION_MEMBERS ?? 1_000_000)] as const;
const CHANGES = 1_000;
const NOW = new Date('2026-11-16T10:00:00Z');
/** Issue 25's targets: figures' bytes per member, HR's figures in under 50 ms. */
const BYTES_PER_MEMBER = 300;
const CARD_MS = 50;

interface Costs {
  readonly buildMs: number;
  readonly bytesPerMember: number;
  readonly catchUpMs: number;
  readonly cardMs: number;
  readonly exportMs: number;
  readonly exportBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
/** The heap after gc, with the typed arrays' buffers (kept off the heap, where the figures keep their columns). */
function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * The memory store's event log, holding every event the filled progress records imply, as the course would have
 * appended them: fill() writes progress without its events (at a million some 17 million events, about 9 kB a
 * member in memory), so start-up's recovery finds none missing rather than appending them all to the store.
 */
class ImpliedEventLog extends MemoryEventLog {
  override async logged(): Promise<LoggedEvents> {
    return { has: () => true };
  }
}

/** Memory stores whose tables can be filled directly, as another instance's writes would be (past the figures). */
function fillableStores(): { stores: Stores; tables: Map<string, Table<unknown>> } {
  const tables = new Map<string, Table<unknown>>();
  const table = <T>(name: string): Table<T> => {
    const made = new MemoryTable<T>();
    tables.set(name, made);
    return made;
  };
  return { stores: storesOn(table, new ImpliedEventLog(), async () => {}), tables };
}

async function fill(tables: Map<string, Table<unknown>>, course: Course, members: number): Promise<void> {
  const random = seededRandom(20261116);
  const steps = coursePath(course).length;
  const [roster, byAad, progress] = ['members', 'membersByAad', 'progress'].map((n) => tables.get(n)!);
  for (let i = 0; i < members; i++) {
    const aad = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const member: Member = {
      key: `person${i}@contoso.example`,
      name: `Person ${i}`,
      email: `person${i}@contoso.example`,
      department: `Department ${i % 40}`,
      role: `Role ${i % 12}`,
      aadObjectId: aad,
      active: true,
      source: 'csv',
      updatedAt: '2026-10-01T08:00:00Z',
    };
    await roster!.update(member.key, () => member);
    await byAad!.update(aad, () => member.key);
    const done = Math.floor(random() * (steps + 1));
    if (done > 0) await progress!.update(aad, () => progressAfter(NOW, course, aad, done, random, course.version));
  }
}

async function measure(course: Course, members: number): Promise<Costs> {
  const { stores, tables } = fillableStores();
  let started = performance.now();
  await fill(tables, course, members);
  console.log(`Filled the memory store with ${count(members)} members in ${seconds(started)} s`);
  const before = heapAfterGc();
  started = performance.now();
  const h = await startHarness({ stores, env: { POSTWISE_HR_USERS: HR_ID } });
  try {
    const ready = () => h.log.lines.find((line) => line.includes('"event":"figures.ready"'));
    while (!ready()) await new Promise((r) => setTimeout(r, 50));
    const buildMs = (JSON.parse(ready()!) as { ms: number }).ms;
    const bytesPerMember = (heapAfterGc() - before) / members;
    const progress = tables.get('progress')!;
    for (let i = 0; i < CHANGES; i++) {
      const aad = `00000000-0000-4000-8000-${String(i * 7).padStart(12, '0')}`;
      await progress.update(aad, () => progressAfter(NOW, course, aad, 3, seededRandom(i), course.version));
    }
    started = performance.now();
    await h.app.refreshFigures();
    const catchUpMs = performance.now() - started;
    const hr = hrUser(h);
    await hr.say('coverage');
    const times: number[] = [];
    let card: Record<string, unknown> | undefined;
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      card = (await hr.say('coverage')).cards[0];
      times.push(performance.now() - started);
    }
    const cardMs = times.sort((a, b) => a - b)[2]!;
    started = performance.now();
    const link = /https?:\/\/[^"]+\/downloads\/[^"]+/.exec(JSON.stringify(await hr.press(card!, 'hrExport')))?.[0];
    const download = await fetch(link ?? 'http://127.0.0.1:9/no-link');
    const exportBytes = (await download.arrayBuffer()).byteLength;
    const exportMs = performance.now() - started;
    if (!actionsOf(card!).some((a) => a.verb === 'hrExport')) throw new Error('no export on the coverage card');
    return { buildMs, bytesPerMember, catchUpMs, cardMs, exportMs, exportBytes };
  } finally {
    await h.close();
  }
}

async function main(): Promise<boolean> {
  if (!gc) console.log('No global.gc(): run under --expose-gc (bench/all.ts does) for the heap figures.');
  const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
  const course = (await loadContent(config.contentDir, config.org)).courses.en;
  const [small, large] = [await measure(course, SIZES[0]), await measure(course, SIZES[1])] as [Costs, Costs];
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const both = (pick: (c: Costs) => number, show: (n: number) => string) =>
    `${show(pick(large))} (${(pick(large) / pick(small)).toFixed(1)}x ${count(SIZES[0])}: ${show(pick(small))})`;
  const [a, b] = [count(SIZES[0]), count(SIZES[1])];
  const lines = [
    `Members: ${a} and ${b}`,
    `  figures built in         ${both((c) => c.buildMs, ms)}`,
    `  heap bytes per member    ${both(
      (c) => c.bytesPerMember,
      (n) => n.toFixed(0),
    )}`,
    `  catch-up on ${count(CHANGES)} writes ${both((c) => c.catchUpMs, ms)}`,
    `  coverage card            ${both((c) => c.cardMs, ms)}`,
    `  export download          ${both((c) => c.exportMs, ms)}, ${(large.exportBytes / 2 ** 20).toFixed(0)} MB`,
  ];
  console.log(`\n${lines.join('\n')}`);
  const bytesOk = large.bytesPerMember <= BYTES_PER_MEMBER;
  const cardOk = large.cardMs < CARD_MS;
  reportFigures([
    {
      bench: 'million',
      figure: `figures built, ${b} members`,
      value: ms(large.buildMs),
      baseline: `${a}: ${ms(small.buildMs)}`,
    },
    {
      bench: 'million',
      figure: `figures' heap bytes per member, ${b}`,
      value: large.bytesPerMember.toFixed(0),
      baseline: `${a}: ${small.bytesPerMember.toFixed(0)}`,
      target: `<= ${BYTES_PER_MEMBER}`,
      pass: bytesOk,
    },
    {
      bench: 'million',
      figure: `catch-up on ${count(CHANGES)} writes, ${b} members`,
      value: ms(large.catchUpMs),
      baseline: `${a}: ${ms(small.catchUpMs)}`,
    },
    {
      bench: 'million',
      figure: `coverage card, ${b} members`,
      value: ms(large.cardMs),
      baseline: `${a}: ${ms(small.cardMs)}`,
      target: `< ${CARD_MS} ms`,
      pass: cardOk,
    },
    {
      bench: 'million',
      figure: `HR export download, ${b} rows`,
      value: `${ms(large.exportMs)}, ${(large.exportBytes / 2 ** 20).toFixed(0)} MB`,
      baseline: `${a}: ${ms(small.exportMs)}`,
    },
  ]);
  return bytesOk && cardOk;
}

exitWith(main());
