// Issue 25's memory of HR's figures (`node --expose-gc --import tsx bench/figuresMemory.bench.ts`):
// builds the figures (CoverageIndex) of 100,000 and 1,000,000 people fed, page by page, from records
// made as a store reads them (each parsed from its own JSON), and reports the heap they keep per member
// with their typed arrays' buffers (off the heap), measured after a full garbage collection before and
// after the build. Exits 1 above the target.
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { CoverageIndex, type IndexSources } from '../src/domain/figures/coverageIndex.js';
import { memoryStores } from '../src/storage/memory.js';
import { seededPeople, type SeededPerson } from './figuresPeople.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';

const SIZES = (process.env.BENCH_FIGURES_MEMORY_SIZES ?? '100000,1000000').split(',').map(Number);
/** Bytes of heap per member the figures may keep. */
const TARGET_BYTES = 300;

const gc = (globalThis as { gc?: () => void }).gc;

/** The heap in use after collecting everything that can be, with the typed arrays' buffers (kept off the heap). */
function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Sources that read each record as a store does (its own parse of its JSON), made a page at a
 * time as the figures take them, so the heap holds the figures and one page.
 */
function sourcesOf(people: () => Iterable<SeededPerson>): IndexSources {
  const stores = memoryStores();
  const tableOf = <T>(part: (p: SeededPerson) => T | undefined) => {
    async function* scanPages<R>(pick: (record: Readonly<T>) => R, size: number): AsyncGenerator<readonly R[]> {
      let page: R[] = [];
      for (const person of people()) {
        const record = part(person);
        if (record !== undefined) page.push(pick(JSON.parse(JSON.stringify(record)) as T));
        if (page.length < size) continue;
        yield page;
        page = [];
      }
      if (page.length > 0) yield page;
    }
    const scan = async <R>(pick: (record: Readonly<T>) => R): Promise<R[]> => {
      const all: R[] = [];
      for await (const page of scanPages(pick, 1_000)) all.push(...page);
      return all;
    };
    return { scan, scanPages };
  };
  return {
    ...stores,
    roster: tableOf((p) => p.member),
    progress: tableOf((p) => p.progress),
    assignments: tableOf((p) => p.assignment),
  };
}

async function main(): Promise<boolean> {
  if (!gc) throw new Error('Run with node --expose-gc: the heap is measured after full collections.');
  const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
  const course = (await loadContent(config.contentDir, config.org)).courses.en;
  let pass = true;
  for (const members of SIZES) {
    const index = new CoverageIndex(course);
    const before = heapUsed();
    const started = performance.now();
    await index.refresh(sourcesOf(() => seededPeople(course, members)));
    const took = seconds(started);
    const bytes = (heapUsed() - before) / members;
    const ok = bytes <= TARGET_BYTES;
    pass &&= ok;
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    console.log(
      `${count(members)} members: figures built in ${took} s, ${bytes.toFixed(0)} bytes per member ` +
        `(heap ${heapMb.toFixed(0)} MB, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB)`,
    );
    reportFigures([
      {
        bench: 'figures-memory',
        figure: `HR's figures, heap per member, ${count(members)} members`,
        value: `${bytes.toFixed(0)} bytes`,
        target: `≤ ${TARGET_BYTES} bytes`,
        pass: ok,
      },
    ]);
    // Kept alive until measured.
    if ((await index.read()).coverage('2026-11-20').overall.active === 0) throw new Error('No member was counted');
  }
  return pass;
}

exitWith(main());
