/** Connection failures that happen before a request reaches the service: nothing can have been done. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * A failed fetch by its most specific name (the socket's error code, else the error's name), and whether the
 * request may have reached the service (then a retry could do it twice).
 */
export function networkFailure(error: unknown): { readonly code: string; readonly reached: boolean } {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.name : typeof error;
  return { code, reached: !NOT_CONNECTED.has(code) };
}
