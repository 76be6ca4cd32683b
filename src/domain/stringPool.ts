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
}
