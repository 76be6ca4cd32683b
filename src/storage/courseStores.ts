import type { Language } from '../domain/course/course.js';
import {
  emptyProgress,
  isMastered,
  reviewsOf,
  type Acknowledgement,
  type Answer,
  type Progress,
  type RenewalRound,
} from '../domain/course/progress.js';
import type { ProgressStore } from '../domain/course/ports.js';
import type { Table } from './table.js';

/** ProgressStore on top of any Table. */
export class TableProgressStore implements ProgressStore {
  constructor(private readonly table: Table<Progress>) {}

  get(userId: string): Promise<Progress | undefined> {
    return this.table.get(userId);
  }

  scan<R>(pick: (progress: Readonly<Progress>) => R): Promise<R[]> {
    return this.table.scan(pick);
  }

  scanPages<R>(pick: (progress: Readonly<Progress>) => R, size: number): AsyncIterable<readonly R[]> {
    return this.table.scanPages(pick, size);
  }

  language(userId: string): Promise<Language | undefined> {
    return this.table.peek(userId, (p) => p?.language);
  }

  async openLesson(userId: string, lessonId: string, at: string, revision = 1): Promise<Progress> {
    return this.change(userId, (p) => {
      const opened = p.lessonsOpened.includes(lessonId);
      if (opened && (p.lessonRevisions?.[lessonId] ?? 1) >= revision) return undefined;
      // Revision 1 is what a lesson missing from lessonRevisions was opened at: only later ones are written.
      const lessonRevisions = revision > 1 ? { lessonRevisions: { ...p.lessonRevisions, [lessonId]: revision } } : {};
      return {
        ...p,
        lessonsOpened: opened ? p.lessonsOpened : [...p.lessonsOpened, lessonId],
        ...lessonRevisions,
        lastActivityAt: at,
      };
    });
  }

  async recordAnswer(userId: string, answer: Answer): Promise<{ progress: Progress; created: boolean }> {
    let created = false;
    const progress = await this.change(userId, (p) => {
      const { questionId } = answer;
      const before = p.answers[questionId];
      if (before && (before.revision ?? 1) >= (answer.revision ?? 1)) return undefined;
      created = true;
      const next: Progress = { ...p, answers: { ...p.answers, [questionId]: answer }, lastActivityAt: answer.at };
      if (!before) return next;
      const { [questionId]: reviews = [], ...otherReviews } = p.reviews ?? {};
      return {
        ...next,
        reviews: otherReviews,
        earlier: { ...p.earlier, [questionId]: [...(p.earlier?.[questionId] ?? []), before, ...reviews] },
      };
    });
    return { progress, created };
  }

  async recordReview(
    userId: string,
    attempt: number,
    answer: Answer,
  ): Promise<{ progress: Progress; created: boolean }> {
    let created = false;
    const progress = await this.change(userId, (p) => {
      const earlier = reviewsOf(p, answer.questionId);
      if (earlier.length !== attempt - 1 || isMastered(p, answer.questionId)) return undefined;
      created = true;
      return { ...p, reviews: { ...p.reviews, [answer.questionId]: [...earlier, answer] }, lastActivityAt: answer.at };
    });
    return { progress, created };
  }

  async recordAcknowledgement(userId: string, ack: Acknowledgement): Promise<{ progress: Progress; created: boolean }> {
    let created = false;
    const progress = await this.change(userId, (p) => {
      if (p.acknowledgements.some((a) => a.version === ack.version && a.renews === ack.renews)) return undefined;
      created = true;
      return { ...p, acknowledgements: [...p.acknowledgements, ack], lastActivityAt: ack.at };
    });
    return { progress, created };
  }

  async recordRenewal(
    userId: string,
    change: (progress: Readonly<Progress>) => RenewalRound | undefined,
  ): Promise<{ progress: Progress; created: boolean }> {
    let created = false;
    const progress = await this.change(userId, (p) => {
      const renewal = change(p);
      if (!renewal) return undefined;
      created = true;
      return { ...p, renewal, lastActivityAt: this.latest(renewal) ?? p.lastActivityAt };
    });
    return { progress, created };
  }

  async setLanguage(userId: string, language: Language, at: string): Promise<Progress> {
    return this.change(userId, (p) => (p.language === language ? undefined : { ...p, language, lastActivityAt: at }));
  }

  private latest(renewal: RenewalRound): string | undefined {
    return Object.values(renewal.attempts)
      .flat()
      .reduce<string | undefined>((l, a) => (l === undefined || a.at > l ? a.at : l), undefined);
  }

  private async change(userId: string, fn: (p: Progress) => Progress | undefined): Promise<Progress> {
    let result: Progress | undefined;
    await this.table.update(userId, (current) => {
      const base = current ?? emptyProgress(userId);
      const next = fn(base);
      result = next ?? structuredClone(base);
      return next;
    });
    return result ?? emptyProgress(userId);
  }
}
