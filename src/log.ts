/**
 * Structured log lines. Callers pass event names and counts, never message text or anything
 * that identifies a person.
 */
export interface Log {
  info(event: string, fields?: Record<string, string | number | boolean>): void;
  error(event: string, error: unknown): void;
}

export const consoleLog: Log = {
  info: (event, fields = {}) => console.log(JSON.stringify({ level: 'info', event, ...fields })),
  error: (event, error) => console.error(JSON.stringify({ level: 'error', event, ...describe(error) })),
};

/** The error's class and stack: enough to debug, with no activity content in it. */
export function describe(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: error.name, ...(error.stack ? { stack: error.stack } : {}) };
  return { error: typeof error };
}
