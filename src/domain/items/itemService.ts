import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import type { ItemFigures } from './itemFigures.js';
import { itemStatistics, type ItemStatistics } from './itemAnalysis.js';
import { eachInSlices } from '../time/eventLoop.js';
import { ItemSums, ItemTries, triedAny } from './itemSums.js';

/**
 * Item analysis of the course's questions from everyone's first tries. With HR's figures
 * the sums are kept as answers are stored, so the figures cost the same whatever the number of
 * employees; without one (the command-line report) every call reads the whole progress table.
 */
export class ItemService {
  private readonly tries: ItemTries;

  constructor(
    course: Course,
    private readonly progress: Pick<ProgressStore, 'scan'>,
    private readonly index?: ItemFigures,
  ) {
    this.tries = index?.itemTries ?? new ItemTries(course);
  }

  async statistics(): Promise<ItemStatistics[]> {
    return itemStatistics(this.index ? (await this.index.read()).items.sums : await this.scan());
  }

  private async scan(): Promise<ItemSums> {
    const sums = new ItemSums(this.tries);
    const everyone = await this.progress.scan((p) => this.tries.of(p));
    await eachInSlices(everyone, (tried) => {
      if (triedAny(tried)) sums.add(tried, 1);
    });
    return sums;
  }
}
