/** The bucket for members with no department or role. */
export const NO_GROUP = '(none)';

/** A department or role as HR's figures show it: trimmed, NO_GROUP when empty. */
export function group(name: string): string {
  const trimmed = name.trim();
  return trimmed === '' ? NO_GROUP : trimmed;
}
