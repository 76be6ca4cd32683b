import type { Assignment } from '../campaigns/assignment.js';
import type { Delivery } from '../campaigns/delivery.js';
import type { AssignmentStore, CampaignStore, DeliveryQueue } from '../campaigns/ports.js';
import type { Course } from '../course/course.js';
import type { Completions, ProgressStore } from '../course/ports.js';
import type { Progress } from '../course/progress.js';
import { ItemTries } from '../items/itemSums.js';
import type { RosterStore } from '../roster/ports.js';
import type { Member } from '../roster/roster.js';
import { pagesOf } from '../paging/pagedScan.js';
import { eachInSlices } from '../time/eventLoop.js';
import { turnDeadline } from '../time/turnDeadline.js';
import { FirstTries } from '../understanding/firstTries.js';
import { Figures } from './figures.js';
import { awaitWithin } from './figuresNotReady.js';
import type { FiguresState } from './figuresState.js';
import type { FiguresFeed } from './figuresFeed.js';
import type { Validity } from '../course/validity.js';

/** What the index is built from, at start-up and on refresh. */
export interface IndexSources {
  readonly roster: Pick<RosterStore, 'scan' | 'scanPages'>;
  readonly progress: Pick<ProgressStore, 'scan' | 'scanPages'>;
  readonly assignments: Pick<AssignmentStore, 'scan' | 'scanPages'>;
  readonly campaigns: Pick<CampaignStore, 'list'>;
  readonly deliveries: Pick<DeliveryQueue, 'forSend'>;
}

type Write = (figures: Figures) => void;

/** Records read and taken in at a time while building: a table storage page. */
const PAGE = 1_000;

/**
 * HR's figures, a read model: coverage, understanding's first-try sums, item sums and delivery
 * tallies, kept up to date as records are written so that each card costs the same at 100,000
 * employees as at 1,000. Built from the stores by refresh() (at start-up, and whenever writes by
 * other instances must be taken in); after that it hears of every durable write through its feed.
 */
export class CoverageIndex implements FiguresFeed, Completions {
  private figures: Figures;
  /** Writes made while a refresh runs: replayed on the refreshed figures. */
  private during: Write[] | undefined;
  private built: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  /** Built or restored once. */
  private ready = false;
  readonly firstTries: FirstTries;
  readonly itemTries: ItemTries;

  constructor(
    private readonly course: Course,
    private readonly validity?: Validity,
  ) {
    this.firstTries = new FirstTries(course);
    this.itemTries = new ItemTries(course);
    this.figures = new Figures(course, this.firstTries, this.itemTries, false, validity);
  }

  progressWritten(p: Readonly<Progress>): void {
    this.write((f) => f.progress(p));
  }

  memberPut(m: Readonly<Member>): void {
    this.write((f) => f.member(m));
  }

  assignmentWritten(a: Readonly<Assignment>): void {
    this.write((f) => f.assignment(a));
  }

  deliveryWritten(d: Readonly<Delivery>): void {
    this.write((f) => f.deliveries.put(d));
  }

  deliveriesAdded(list: readonly Readonly<Delivery>[]): void {
    this.write((f) => {
      for (const d of list) if (!f.deliveries.has(d.id)) f.deliveries.put(d);
    });
  }

  /**
   * Builds the figures again from the stores, yielding to the event loop as it goes so that
   * requests are served meanwhile; until the first build ends, reading the figures waits for it.
   */
  refresh(sources: IndexSources): Promise<void> {
    if (!this.running) {
      this.running = this.rebuild(sources).finally(() => (this.running = undefined));
      this.built ??= this.running;
    }
    return this.running;
  }

  /** Makes reading the figures wait for `start` (a restore and its catch-up, or the first build) until it ends. */
  startWith(start: Promise<void>): void {
    this.built = start;
    // Its failure reaches whoever reads the figures; nobody reading is no unhandled rejection.
    start.catch(() => undefined);
  }

  /**
   * Takes in the figures `load` gives (saved() in another process) in place of a build: writes heard
   * meanwhile are replayed on them. Resolves false, changing nothing, when `load` gives none.
   */
  restore(load: () => Promise<FiguresState | undefined>): Promise<boolean> {
    if (this.running) throw new Error('The figures are restored only before they are built.');
    const restoring = this.restoring(load);
    this.running = restoring.then(
      () => undefined,
      () => undefined,
    );
    void this.running.then(() => (this.running = undefined));
    return restoring;
  }

  /** The figures as another process restores them, when built and no build runs; undefined otherwise. */
  saved(): FiguresState | undefined {
    return this.ready && !this.running ? this.figures.saved() : undefined;
  }

  /** What the figures are worked out with, besides the records: saved figures are only for the same. */
  builtWith(): {
    version: string;
    items: unknown;
    guidelines: ReadonlyMap<string, readonly number[]>;
    validity?: Validity;
  } {
    const { course, itemTries, firstTries, validity } = this;
    return {
      version: course.version,
      items: itemTries.items,
      guidelines: firstTries.guidelines,
      ...(validity ? { validity } : {}),
    };
  }

  /**
   * The figures, once the first build has ended; in a turn, FiguresNotReady when that is later than the turn's
   * deadline (a person is answered in time, not kept waiting for a build at start-up).
   */
  async read(): Promise<
    Pick<
      Figures,
      'coverage' | 'understanding' | 'items' | 'deliveries' | 'departments' | 'order' | 'userIdOf' | 'changedFrom'
    >
  > {
    if (!this.built)
      throw new Error('The coverage index was never started: call startFigures() or refresh() at start-up.');
    await awaitWithin(this.built, turnDeadline());
    return this.figures;
  }

  /** Who completed the course, once the first build has ended (Figures.completedWhere). */
  async completedWhere(wanted: (lapse: string | undefined) => boolean): Promise<string[]> {
    await this.read();
    return this.figures.completedWhere(wanted);
  }

  private async restoring(load: () => Promise<FiguresState | undefined>): Promise<boolean> {
    this.during = [];
    try {
      const state = await load();
      if (!state) return false;
      const next = new Figures(this.course, this.firstTries, this.itemTries, false, this.validity);
      await next.restore(state);
      for (const change of this.during) change(next);
      this.figures = next;
      this.ready = true;
      return true;
    } finally {
      this.during = undefined;
    }
  }

  private write(change: Write): void {
    change(this.figures);
    this.during?.push(change);
  }

  private async rebuild(sources: IndexSources): Promise<void> {
    this.during = [];
    try {
      const next = new Figures(this.course, this.firstTries, this.itemTries, true, this.validity);
      // A page at a time, so that no more than the figures and a page are held; progress and
      // assignments before the roster, so each member is placed once, with all there is to know.
      for await (const page of pagesOf(sources.progress, (p) => p, PAGE))
        await eachInSlices(page, (p) => next.progress(p));
      for await (const page of pagesOf(sources.assignments, (a) => a, PAGE))
        await eachInSlices(page, (a) => next.assignment(a));
      for await (const page of pagesOf(sources.roster, (m) => m, PAGE)) await eachInSlices(page, (m) => next.member(m));
      await next.order.finish();
      for (const campaign of await sources.campaigns.list())
        await eachInSlices(await sources.deliveries.forSend(campaign.id), (d) => next.deliveries.put(d));
      for (const change of this.during) change(next);
      this.figures = next;
      this.ready = true;
    } finally {
      this.during = undefined;
    }
  }
}
