import type { Problems } from './contentError.js';

type Json = Record<string, unknown>;

/** Reads typed fields out of parsed JSON, reporting each mistake with its file and field path. */
export class Fields {
  constructor(
    private readonly problems: Problems,
    readonly file: string,
  ) {}

  object(value: unknown, field: string): Json | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    this.problems.add(this.file, field, 'must be an object');
    return undefined;
  }

  text(obj: Json, key: string, path: string, max: number, optional = false): string | undefined {
    const value = obj[key];
    const field = join(path, key);
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.add(this.file, field, 'is missing or empty');
      return undefined;
    }
    if (value.length > max) {
      this.problems.add(this.file, field, `is ${value.length} characters long; at most ${max} are allowed`);
    }
    return value;
  }

  id(obj: Json, key: string, path: string): string | undefined {
    const value = this.text(obj, key, path, 60);
    if (value !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value)) {
      this.problems.add(this.file, join(path, key), `must be a lower-case slug like "the-party" (got "${value}")`);
    }
    return value;
  }

  boolean(obj: Json, key: string, path: string): boolean | undefined {
    const value = obj[key];
    if (typeof value === 'boolean') return value;
    this.problems.add(this.file, join(path, key), 'must be true or false');
    return undefined;
  }

  number(obj: Json, key: string, path: string, min: number, max: number): number | undefined {
    const value = obj[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.add(this.file, join(path, key), `must be a whole number from ${min} to ${max}`);
    return undefined;
  }

  array(obj: Json, key: string, path: string, min: number, max: number): unknown[] {
    const value = obj[key];
    if (!Array.isArray(value)) {
      this.problems.add(this.file, join(path, key), 'must be a list');
      return [];
    }
    if (value.length < min || value.length > max) {
      this.problems.add(this.file, join(path, key), `must have ${min} to ${max} entries (has ${value.length})`);
    }
    return value;
  }

  problem(field: string, problem: string): void {
    this.problems.add(this.file, field, problem);
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}
