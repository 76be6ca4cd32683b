import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { loadContent } from '../../src/content/load.js';
import { FakeOpenId } from '../support/fakeOpenId.js';
import { cardText, startHarness, type BotHarness, type TestUser } from '../support/harness.js';

const APP_ID = '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';

function botEnv(metadataUrl: string): Record<string, string> {
  return {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-secret',
    HOST: '127.0.0.1',
    POSTWISE_ALLOWED_TENANTS: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    POSTWISE_OPENID_METADATA_URL: metadataUrl,
  };
}

const seconds = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => `Bearer ${token}`;

/** The console, watched: botbuilder printed every rejected token's error and all public keys there. */
let consoleCalls: MockInstance[] = [];
beforeEach(() => {
  consoleCalls = (['error', 'warn', 'log', 'info'] as const).map((level) => vi.spyOn(console, level));
});
afterEach(() => {
  for (const spy of consoleCalls) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
});

describe('with a Microsoft app id, tokens are checked against the signing keys', () => {
  let openId: FakeOpenId;
  let h: BotHarness;
  beforeAll(async () => {
    openId = await FakeOpenId.start();
    h = await startHarness({ env: botEnv(openId.metadataUrl) });
  });
  afterAll(async () => {
    await h.close();
    await openId.close();
  });

  const claims = (changes: Record<string, unknown> = {}) => ({
    ...FakeOpenId.claims(APP_ID, h.connector.url),
    ...changes,
  });

  /** A validly signed token whose payload was then changed. */
  const tampered = () => {
    const [header, , signature] = openId.sign(claims()).split('.');
    const payload = Buffer.from(JSON.stringify(claims({ aud: APP_ID, exp: seconds() + 365 * 86400 }))).toString(
      'base64url',
    );
    return `${header}.${payload}.${signature}`;
  };

  const cases: [string, string, () => string | undefined, Record<string, unknown>?][] = [
    ['no Authorization header', 'no-token', () => undefined],
    ['an empty Authorization header', 'no-token', () => ''],
    ['garbage', 'malformed', () => 'Bearer abc.def.ghi'],
    ['a JWT without the Bearer scheme', 'malformed', () => openId.sign(claims())],
    ['another scheme', 'malformed', () => `Basic ${Buffer.from('bot:secret').toString('base64')}`],
    ['an unsigned token (alg none)', 'algorithm', () => bearer(openId.sign(claims(), { alg: 'none' }))],
    [
      'HS256 with the public key as secret (key confusion)',
      'algorithm',
      () => bearer(openId.sign(claims(), { alg: 'HS256' })),
    ],
    [
      'a signature by another key under the published key id',
      'signature',
      () => bearer(openId.sign(claims(), { key: openId.stranger })),
    ],
    ['a tampered payload', 'signature', () => bearer(tampered())],
    ['a truncated signature', 'signature', () => bearer(openId.sign(claims()).slice(0, -10))],
    [
      'a key id that is not published',
      'unknown-key',
      () => bearer(openId.sign(claims(), { kid: 'someone-elses-key', key: openId.stranger })),
    ],
    ['an expired token', 'expired', () => bearer(openId.sign(claims({ nbf: seconds() - 7200, exp: seconds() - 600 })))],
    ['a token without expiry', 'expired', () => bearer(openId.sign(claims({ exp: undefined })))],
    [
      'a token not valid yet (nbf in the future)',
      'not-yet-valid',
      () => bearer(openId.sign(claims({ nbf: seconds() + 600, exp: seconds() + 4200 }))),
    ],
    [
      'a token for another bot (wrong audience)',
      'audience',
      () => bearer(openId.sign(claims({ aud: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' }))),
    ],
    [
      'a token from another issuer',
      'issuer',
      () => bearer(openId.sign(claims({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' }))),
    ],
    [
      'a token for another serviceUrl',
      'service-url',
      () => bearer(openId.sign(claims({ serviceurl: 'https://attacker.example/' }))),
    ],
    ['a channel the key does not sign for', 'channel', () => bearer(openId.sign(claims())), { channelId: 'webchat' }],
  ];

  it.each(cases)(
    '%s gets 401, stores and sends nothing, and logs one line with reason %s',
    async (_name, reason, header, changes = {}) => {
      const user: TestUser = h.user({ name: 'Marieke Zwartbroek' });
      const logged = h.log.lines.length;
      const token = header();
      const result = await h.post(
        user.activity({ type: 'message', text: 'start', ...changes }),
        token === undefined ? {} : { headers: { authorization: token } },
      );
      expect(result.status).toBe(401);
      expect(result.body).toEqual({ code: 'Unauthorized', message: 'The request is not authorized.' });
      expect(result.calls).toEqual([]);
      expect(await h.stores.conversations.get(user.aadObjectId)).toBeUndefined();
      expect(await h.stores.progress.get(user.aadObjectId)).toBeUndefined();
      expect(h.log.lines.slice(logged)).toEqual([JSON.stringify({ event: 'auth.refused', reason })]);
    },
  );

  it('lets a token signed by the published key through: 200, and the bot answers and records', async () => {
    // An answer is confirmed in the invoke response itself, so no reply needs a token from Microsoft.
    const { courses } = await loadContent(path.join(PROJECT_ROOT, 'content'), loadConfig({}).org);
    const lesson = courses.en.lessons[0]!;
    const question = lesson.questions[0]!;
    const choice = question.choices.find((c) => c.correct)!;
    const user = h.user();
    await h.stores.progress.openLesson(user.aadObjectId, lesson.id, new Date().toISOString(), lesson.revision);
    const logged = h.log.lines.length;
    const result = await h.post(
      user.activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: { type: 'Action.Execute', verb: 'answer', data: { question: question.id, choice: choice.id } },
          trigger: 'manual',
        },
      }),
      { headers: { authorization: bearer(openId.sign(claims())) } },
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(result.body.value)).toContain(choice.feedback);
    expect((await h.stores.progress.get(user.aadObjectId))?.answers[question.id]?.choiceId).toBe(choice.id);
    expect(h.log.lines.slice(logged).join('\n')).not.toContain('auth.');
  });

  it('fetched the configuration and the keys once for all of the above', () => {
    expect(openId.hits).toEqual(['/v1/.well-known/openidconfiguration', '/keys']);
  });
});

describe('signing keys that cannot be fetched', () => {
  it('tokens wrong on their face get 401 without asking for the keys, 200 of them at once', async () => {
    const openId = await FakeOpenId.start();
    openId.metadataStatus = 503;
    const h = await startHarness({ env: botEnv(openId.metadataUrl) });
    try {
      const claims = (changes: Record<string, unknown>) => ({
        ...FakeOpenId.claims(APP_ID, h.connector.url),
        ...changes,
      });
      const [header = '', payload = ''] = openId.sign(claims({})).split('.');
      const forged = [
        openId.sign(claims({ nbf: seconds() - 7200, exp: seconds() - 600 })),
        openId.sign(claims({ aud: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' })),
        `${header}.${payload}.`,
        openId.sign(claims({}), { alg: 'none' }),
      ];
      const user = h.user();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          fetch(`${h.app.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: bearer(forged[i % forged.length] as string) },
            body: JSON.stringify(user.activity({ type: 'message', text: 'start' })),
          }).then((response) => response.status),
        ),
      );
      expect(results.filter((status) => status === 401)).toHaveLength(200);
      expect(openId.hits).toEqual([]);
      expect(h.connector.calls).toEqual([]);
    } finally {
      await h.close();
      await openId.close();
    }
  });

  /** A loopback port nothing listens on. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it.each([
    ['the configuration answers 503', 'metadata-http-503', (o: FakeOpenId) => (o.metadataStatus = 503)],
    ['the key set answers 500', 'keys-http-500', (o: FakeOpenId) => (o.keysStatus = 500)],
    ['the endpoint is unreachable', 'metadata-unreachable', undefined],
  ])('%s: 503 with Retry-After, one log line, nothing stored or sent', async (_name, reason, breakIt) => {
    const openId = await FakeOpenId.start();
    breakIt?.(openId);
    const url = breakIt
      ? openId.metadataUrl
      : `http://127.0.0.1:${await closedPort()}/v1/.well-known/openidconfiguration`;
    const h = await startHarness({ env: botEnv(url) });
    try {
      const user = h.user();
      const token = openId.sign(FakeOpenId.claims(APP_ID, h.connector.url));
      const send = () =>
        fetch(`${h.app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: bearer(token) },
          body: JSON.stringify(user.activity({ type: 'message', text: 'start' })),
        });
      const logged = h.log.lines.length;
      const response = await send();
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.json()).toEqual({
        code: 'ServiceUnavailable',
        message: expect.stringContaining('Try again later'),
      });
      expect(h.log.lines.slice(logged)).toEqual([JSON.stringify({ event: 'auth.keys-unavailable', reason })]);
      // Within the Retry-After pause the next request is refused without asking the endpoint again.
      const hits = openId.hits.length;
      expect((await send()).status).toBe(503);
      expect(openId.hits.length).toBe(hits);
      expect(h.connector.calls).toEqual([]);
      expect(await h.stores.conversations.get(user.aadObjectId)).toBeUndefined();
    } finally {
      await h.close();
      await openId.close();
    }
  });
});
