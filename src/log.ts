import type { Log } from './domain/log.js';

export type { Log } from './domain/log.js';

export const consoleLog: Log = {
  info: (event, fields = {}) => console.log(JSON.stringify({ level: 'info', event, ...fields })),
  error: (event, error) => console.error(JSON.stringify({ level: 'error', event, ...describe(error) })),
};

/** What an error shows in the log. */
export interface ErrorFields {
  /** The error's class, e.g. `RestError`. */
  readonly error: string;
  /** A short code such as `ECONNREFUSED` or Graph's `Authorization_RequestDenied`. */
  readonly code?: string;
  /** The HTTP status an outside service answered. */
  readonly status?: number;
  /** Where it was thrown: the stack's frames only. */
  readonly stack?: string;
}

/** Short identifiers only: a code that is really a sentence, or holds an address, is left out. */
const CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const FRAME = /^\s*at .*:\d+:\d+\)?$/;

/**
 * The error's class, code, HTTP status and stack frames: enough to debug. Never its message,
 * which may hold an outside service's answer (names, addresses, message text), nor the stack's
 * first lines, which repeat that message.
 */
export function describe(error: unknown): ErrorFields {
  if (typeof error !== 'object' || error === null) return { error: typeof error };
  const { name, code, status, statusCode, stack, message } = error as Record<string, unknown>;
  const said = typeof message === 'string' ? message : '';
  const frames =
    typeof stack === 'string'
      ? stack
          .split('\n')
          .filter((line) => FRAME.test(line) && !said.includes(line.trim()))
          .map((line) => line.trim())
          .join('\n')
      : '';
  const httpStatus = typeof status === 'number' ? status : statusCode;
  return {
    error: typeof name === 'string' && CODE.test(name) ? name : error instanceof Error ? 'Error' : 'object',
    ...(typeof code === 'string' && CODE.test(code) ? { code } : {}),
    ...(typeof httpStatus === 'number' && Number.isInteger(httpStatus) ? { status: httpStatus } : {}),
    ...(frames ? { stack: frames } : {}),
  };
}
