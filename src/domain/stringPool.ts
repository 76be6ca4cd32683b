/**
 * Equal strings kept as one however many records hold them (departments, roles, days), each known
 * by a small number from 1 up, so a record keeps the number in a typed array rather than the string.
 */
export class StringPool {
  private readonly codes = new Map<string, number>();
  private readonly texts: string[] = [''];

  /** The number of `text`, which it gets when the pool has not held it yet. */
  code(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.texts.push(text) - 1;
      this.codes.set(text, code);
    }
    return code;
  }

  /** The string of a number code() gave. */
  text(code: number): string {
    return this.texts[code] as string;
  }

  /** Every string held, in code order from code 1: what restore() takes. */
  saved(): string[] {
    return this.texts.slice(1);
  }

  /** Takes in the strings saved() gave, with their codes, in place of none. */
  restore(texts: readonly string[]): void {
    if (this.texts.length > 1) throw new Error('A pool is restored only in place of none.');
    for (const text of texts) this.code(text);
  }
}
