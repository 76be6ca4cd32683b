import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotProcess } from '../support/botProcess.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

/** The longest one /healthz may take: the store check's deadline, with room for a busy machine. */
const PROBE_ANSWER_MS = 4_000;

/** Polls /healthz until it answers `status` (each answer within PROBE_ANSWER_MS); fails after 20 s. */
async function healthOnce(url: string, status: number): Promise<unknown> {
  const until = Date.now() + 20_000;
  for (;;) {
    const started = Date.now();
    const response = await fetch(`${url}/healthz`);
    const body: unknown = await response.json();
    expect(Date.now() - started).toBeLessThan(PROBE_ANSWER_MS);
    if (response.status === status) return body;
    if (Date.now() > until) throw new Error(`/healthz stayed ${response.status}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('/healthz on Azure Tables', () => {
  it(
    'answers 503 while the store is black-holed and 200 again once it heals, without a restart',
    {
      timeout: 90_000,
    },
    async () => {
      const proxy = await FaultProxy.start(azurite.endpoint);
      const bot = startBotProcess({
        PORT: '0',
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_CONNECTION_STRING: connectionStringTo(proxy.url),
        POSTWISE_TABLE_PREFIX: uniquePrefix(),
      });
      try {
        const url = await bot.listening;
        expect(await healthOnce(url, 200)).toMatchObject({ status: 'ok' });
        proxy.set({ blackHole: true });
        const down = await healthOnce(url, 503);
        expect(down).toEqual({ status: 'unavailable', store: 'not answering' });
        proxy.heal();
        expect(await healthOnce(url, 200)).toMatchObject({ status: 'ok' });
        const { stdout } = bot.output();
        expect(stdout).toContain('"event":"health.store-down","reason":"not answering"');
        expect(stdout).toContain('"event":"health.store-back"');
        expect(bot.child.exitCode).toBeNull();
      } finally {
        bot.child.kill('SIGTERM');
        await bot.exited;
        await proxy.close();
      }
    },
  );
});
