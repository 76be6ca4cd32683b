import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { describe, expect, it, vi } from 'vitest';
import { consoleLog } from '../../src/log.js';

const NAME = 'Marieke Zwartbroek';
const EMAIL = 'marieke.zwartbroek@contoso.example';
const TEXT = 'my secret holiday plans are in Lisbon';

/** What consoleLog.error writes for this error, parsed. */
function logged(error: unknown): { line: string; fields: Record<string, unknown> } {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  consoleLog.error('turn.failed', error);
  const line = String(spy.mock.calls[0]?.[0]);
  spy.mockRestore();
  return { line, fields: JSON.parse(line) as Record<string, unknown> };
}

describe('the log of an error', () => {
  it("keeps a Bot Connector error's class, code, status and stack frames, never the name, e-mail and text its body carried", async () => {
    const connector = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'BadArgument', message: `Cannot deliver to ${NAME} <${EMAIL}>: "${TEXT}"` } }),
      );
    });
    await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
    const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), {
      baseUri: `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`,
    });
    const error = await client.conversations
      .sendToConversation('a:1', { type: 'message', text: TEXT })
      .catch((e: unknown) => e);
    connector.close();
    expect((error as Error).message).toContain(EMAIL); // what the outside service said is in the error

    const { line, fields } = logged(error);
    for (const secret of [NAME, 'Zwartbroek', EMAIL, 'contoso', 'Lisbon', 'Cannot deliver'])
      expect(line).not.toContain(secret);
    expect(fields).toMatchObject({
      level: 'error',
      event: 'turn.failed',
      error: 'RestError',
      code: 'BadArgument',
      status: 400,
    });
    expect(fields.stack).toMatch(/^at .+:\d+:\d+\)?$/m);
  });

  it('leaves out message lines dressed up as stack frames, codes that are sentences, and thrown values that are not errors', () => {
    const error = Object.assign(new Error(`Failed\n    at ${EMAIL}:1:1\n    at ${NAME} (x:2:3)`), {
      code: `no such user ${EMAIL}`,
      status: '404',
    });
    const { line, fields } = logged(error);
    expect(line).not.toContain(EMAIL);
    expect(line).not.toContain(NAME);
    expect(fields).not.toHaveProperty('code');
    expect(fields).not.toHaveProperty('status');
    expect(fields.stack).toMatch(/log\.test\.ts:\d+:\d+/);

    expect(logged(`${NAME} <${EMAIL}>`).fields).toEqual({ level: 'error', event: 'turn.failed', error: 'string' });
    expect(logged({ name: `${NAME} ${EMAIL}` }).line).not.toContain(EMAIL);
  });
});
