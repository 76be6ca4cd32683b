import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, startHarness, type BotHarness } from '../support/harness.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function postEncoded(encoding: string, body: Buffer): Promise<Response> {
  return fetch(`${h.app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    body: new Uint8Array(body),
  });
}

describe('compressed request bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['GZIP', gzipSync],
    ['gzip, identity', gzipSync],
  ])('a body with Content-Encoding %s gets 415 and changes nothing', async (encoding, compress) => {
    const user = h.user();
    const before = h.connector.calls.length;
    const response = await postEncoded(
      encoding,
      compress(Buffer.from(JSON.stringify(user.activity({ type: 'message', text: 'start' })))),
    );
    expect(response.status).toBe(415);
    expect(response.headers.get('accept-encoding')).toBe('identity');
    expect(await response.json()).toEqual({
      code: 'UnsupportedMediaType',
      message: expect.stringContaining('uncompressed'),
    });
    expect(h.connector.calls.length).toBe(before);
    expect(await h.stores.conversations.get(user.aadObjectId)).toBeUndefined();
    expect(await h.stores.progress.get(user.aadObjectId)).toBeUndefined();
  });

  it('a body marked identity is read as it is', async () => {
    const user = h.user();
    const before = h.connector.calls.length;
    const response = await postEncoded(
      'identity',
      Buffer.from(JSON.stringify(user.activity({ type: 'message', text: 'help' }))),
    );
    expect(response.status).toBe(200);
    const sent = h.connector.calls.slice(before);
    expect(cardText(sent[0]?.activity.attachments)).toContain('What I can do');
  });

  it('12 gzip bombs (200 MB of zeros each) in parallel get 415 and leave memory alone', async () => {
    // Concatenated gzip members are one valid gzip stream: 200 x 1 MB of zeros, about 200 KB on the wire.
    const bomb = Buffer.concat(Array.from({ length: 200 }, () => gzipSync(Buffer.alloc(1024 * 1024))));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const responses = await Promise.all(Array.from({ length: 12 }, () => postEncoded('gzip', bomb)));
      expect(responses.map((r) => r.status)).toEqual(Array(12).fill(415));
      await Promise.all(responses.map((r) => r.text()));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect((peak - baseline) / 2 ** 20).toBeLessThan(50);
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
  });
});
