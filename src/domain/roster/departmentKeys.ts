import { createHash } from 'node:crypto';

/** A department as a choice value: Teams joins multi-select values with commas, so names cannot be values. */
export function departmentKey(name: string): string {
  return `d${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/** The departments a comma-joined choice names, mapped back to the names given; an unknown key stays as it is. */
export function departmentsChosen(value: unknown, names: readonly string[]): string[] {
  const byKey = new Map(names.map((name) => [departmentKey(name), name]));
  const keys = typeof value === 'string' ? value.split(',').filter((v) => v !== '') : [];
  return keys.map((key) => byKey.get(key) ?? key);
}

/** The department a single choice names, if it is one of the names given. */
export function departmentOf(value: unknown, names: readonly string[]): string | undefined {
  return names.find((name) => departmentKey(name) === value);
}
