import type { LessonTextStore } from '../domain/course/ports.js';
import type { Table } from './table.js';

/** Per lesson id: the text hash at each revision. */
type Hashes = Readonly<Record<string, string>>;

/** LessonTextStore on top of any Table. */
export class TableLessonTextStore implements LessonTextStore {
  constructor(private readonly table: Table<Hashes>) {}

  async record(lessonId: string, revision: number, hash: string): Promise<string | undefined> {
    let before: string | undefined;
    await this.table.update(lessonId, (current) => {
      before = current?.[revision];
      return before === hash ? undefined : { ...current, [revision]: hash };
    });
    return before;
  }
}
