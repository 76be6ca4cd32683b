/** The part of an HTTP response a refusal writes: restify's response, and botbuilder's view of it. */
export interface RefusedResponse {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  send(body: unknown): unknown;
  end(): unknown;
}

/** Sends `status` with `body` (none when undefined) and ends the response. */
export function answer(response: RefusedResponse, status: number, body?: unknown): void {
  response.status(status);
  if (body !== undefined) response.send(body);
  response.end();
}

/** Refuses a request with `status` and the Bot Framework's error body, after the given headers. */
export function refuse(
  response: RefusedResponse,
  status: number,
  error: { code: string; message: string },
  headers: Readonly<Record<string, string>> = {},
): void {
  for (const [name, value] of Object.entries(headers)) response.header(name, value);
  answer(response, status, error);
}
