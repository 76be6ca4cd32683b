/** Equal strings kept as one however many records hold them: departments, days, answer codes. */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** The pool's copy of `text`, which becomes it when the pool has none. */
  share(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }
}

/** A person's first tries (small numbers, one per question) as one short string, so equal ones can be shared. */
export function codeOf(tries: Uint8Array): string {
  return String.fromCharCode(...tries);
}

/** The first tries a code was made of. */
export function triesOf(code: string): Uint8Array {
  const tries = new Uint8Array(code.length);
  for (let i = 0; i < code.length; i++) tries[i] = code.charCodeAt(i);
  return tries;
}
