/**
 * Structured log lines. Callers pass event names and counts, never message text or anything
 * that identifies a person.
 */
export interface Log {
  info(event: string, fields?: Record<string, string | number | boolean>): void;
  error(event: string, error: unknown): void;
}
