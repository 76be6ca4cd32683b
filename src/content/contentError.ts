/** One mistake in a content file: which file, which field, what is wrong. */
export interface ContentProblem {
  readonly file: string;
  readonly field: string;
  readonly problem: string;
}

/** Content that cannot be used; the message lists every problem with its file and field. */
export class ContentError extends Error {
  constructor(readonly problems: readonly ContentProblem[]) {
    super(
      `Content is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.file}: ${p.field} ${p.problem}`).join('\n'),
    );
    this.name = 'ContentError';
  }
}

/** Collects problems while a file is checked, so all of them are reported at once. */
export class Problems {
  readonly list: ContentProblem[] = [];

  add(file: string, field: string, problem: string): void {
    this.list.push({ file, field, problem });
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ContentError(this.list);
  }
}
