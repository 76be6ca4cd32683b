import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import type { CoverageIndex } from '../coverage/coverageIndex.js';
import { itemStatistics, type ItemStatistics } from './itemAnalysis.js';
import { ItemSums, ItemTries, triedAny } from './itemSums.js';

/** Records added to the sums between two yields to the event loop when there is no index. */
const CHUNK = 1_000;

/**
 * Item analysis of the course's questions from everyone's first tries. With the coverage index
 * the sums are kept as answers are stored, so the figures cost the same whatever the number of
 * employees; without one (the command-line report) every call reads the whole progress table.
 */
export class ItemService {
  private readonly tries: ItemTries;

  constructor(
    course: Course,
    private readonly progress: Pick<ProgressStore, 'scan'>,
    private readonly index?: CoverageIndex,
  ) {
    this.tries = index?.itemTries ?? new ItemTries(course);
  }

  async statistics(): Promise<ItemStatistics[]> {
    return itemStatistics(this.index ? (await this.index.read()).items.sums : await this.scan());
  }

  private async scan(): Promise<ItemSums> {
    const sums = new ItemSums(this.tries);
    const everyone = await this.progress.scan((p) => this.tries.of(p));
    for (let i = 0; i < everyone.length; i++) {
      if (i > 0 && i % CHUNK === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const tried = everyone[i] as Uint8Array;
      if (triedAny(tried)) sums.add(tried, 1);
    }
    return sums;
  }
}
