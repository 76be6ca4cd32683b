import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { MAX_BODY_BYTES } from '../../src/http/server.js';
import type { Stores } from '../../src/storage/stores.js';
import { memoryStores } from '../../src/storage/memory.js';
import { cardText, shown, startHarness, type BotHarness } from '../support/harness.js';

let h: BotHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function healthy(harness: BotHarness): Promise<void> {
  const response = await fetch(`${harness.app.url}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok', contentVersion: harness.app.contentVersion });
}

describe('bad requests get a clear 4xx and change nothing', () => {
  it('malformed JSON', async () => {
    const result = await h.post(undefined, { raw: '{"type": "message", ' });
    expect(result.status).toBe(400);
    expect(result.calls).toEqual([]);
    await healthy(h);
  });

  it.each([
    ['from', { from: undefined }],
    ['conversation', { conversation: undefined }],
    ['type', { type: undefined }],
    ['serviceUrl', { serviceUrl: 'file:///etc/passwd' }],
  ])('an activity without a usable %s', async (field, change) => {
    const user = h.user();
    const result = await h.post({ ...user.activity({ type: 'message', text: 'start' }), ...change });
    expect(result.status).toBe(400);
    expect(result.body.message).toContain(field);
    expect(result.calls).toEqual([]);
    expect(await h.stores.conversations.get(user.aadObjectId)).toBeUndefined();
  });

  it('a JSON array or a bare string', async () => {
    expect((await h.post([1, 2])).status).toBe(400);
    expect((await h.post('start')).status).toBe(400);
  });

  it('a body over 256 KB', async () => {
    const user = h.user();
    const result = await h.post(user.activity({ type: 'message', text: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(result.status).toBe(413);
    expect(result.calls).toEqual([]);
    await healthy(h);
  });

  it('an invoke the bot does not handle', async () => {
    const user = h.user();
    const result = await h.post(user.activity({ type: 'invoke', name: 'task/fetch', value: {} }));
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(600);
    await healthy(h);
  });
});

describe('messages', () => {
  it('answers a 10 KB text with a short explanation and stores nothing', async () => {
    const user = h.user();
    const result = await user.say('a'.repeat(10 * 1024));
    expect(result.status).toBe(200);
    expect(result.texts).toEqual([expect.stringContaining('too long')]);
    expect(await h.stores.progress.get(user.aadObjectId)).toBeUndefined();
    expect(await h.stores.conversations.get(user.aadObjectId)).toBeUndefined();
  });

  it('answers any other text with the help card, never silence', async () => {
    const user = h.user();
    const result = await user.say('What is this?');
    const text = cardText(result.cards[0]);
    expect(text).toContain('did not understand');
    expect(text).toContain('progress');
  });

  it.each(['messageReaction', 'typing', 'event', 'endOfConversation'])(
    'ignores a %s activity quietly',
    async (type) => {
      const user = h.user();
      const result = await h.post(user.activity({ type }));
      expect(result.status).toBe(200);
      expect(result.calls).toEqual([]);
    },
  );

  it('speaks the Teams locale, switches language on request, and keeps the choice', async () => {
    const user = h.user({ locale: 'nl-NL' });
    expect(cardText((await user.say('help')).cards[0])).toContain('Wat ik kan');
    const switched = await user.say('language en');
    expect(switched.texts).toEqual(['From now on I will speak English with you.']);
    expect(cardText((await user.say('help')).cards[0])).toContain('What I can do');
    expect((await user.say('taal nl')).texts).toEqual(['Vanaf nu spreek ik Nederlands met je.']);
    user.locale = 'en-US';
    expect(cardText((await user.say('begin')).cards[0])).toContain('Les 1 van');
    expect((await user.say('taal fr')).texts[0]).toContain('taal nl');
  });

  it('resumes where the employee is, for start, continue and typos alike', async () => {
    const user = h.user();
    const first = await user.say('start');
    const opened = await user.press(first.cards[0] as Record<string, unknown>, 'open');
    const question = cardText(opened.cards[0]);
    for (const text of ['start', 'Continue', 'contnue', 'verder']) {
      expect(cardText((await user.say(text)).cards[0])).toBe(question);
    }
    const progress = cardText((await user.say('progres')).cards[0]);
    expect(progress).toContain('Your progress');
    const lessons = (await readdir(path.join(PROJECT_ROOT, 'content', 'en', 'lessons'))).length;
    expect(progress).toContain(`0 of ${lessons}`);
  });

  it('says later in words, and opens the question card from the welcome card', async () => {
    const user = h.user();
    const welcome = (await user.install()).cards[0] as Record<string, unknown>;
    const later = await user.press(welcome, 'later');
    // A plain text message shows no markdown; someone who has not started is told how to start.
    expect(shown(later)).toContain('Type “start” whenever you are ready');
    expect(shown(later)).not.toMatch(/\*|left off/);
    expect(later.texts).toEqual([]);
    await user.press((await user.press(welcome, 'start')).cards[0] as Record<string, unknown>, 'open');
    const laterOn = shown(await user.press(welcome, 'later'));
    expect(laterOn).toContain('Type “continue” whenever you are ready and I will pick up where you left off.');
    expect(laterOn).not.toContain('*');
    expect(cardText((await user.press(welcome, 'ask')).cards[0])).toContain('Your question');
  });
});

describe('installation', () => {
  it('welcomes once when Teams announces the install twice, and stores the conversation', async () => {
    const user = h.user();
    const first = await user.install();
    const second = await h.post(user.activity({ type: 'installationUpdate', action: 'add' }));
    expect(first.cards).toHaveLength(1);
    expect(second.calls).toEqual([]);
    expect(await h.stores.conversations.get(user.aadObjectId)).toEqual({
      serviceUrl: h.connector.url,
      channelId: 'msteams',
      conversationId: user.conversationId,
      botId: '28:postwise-bot',
      tenantId: user.tenantId,
    });
  });

  it('welcomes on installationUpdate alone', async () => {
    const user = h.user();
    const result = await h.post(user.activity({ type: 'installationUpdate', action: 'add' }));
    expect(cardText(result.cards[0])).toContain('Welcome');
  });

  it('does not welcome when only another person joins', async () => {
    const user = h.user();
    const result = await h.post(user.activity({ type: 'conversationUpdate', membersAdded: [{ id: user.teamsId }] }));
    expect(result.calls).toEqual([]);
  });
});

describe('privacy', () => {
  it('never writes message text, names or ids into the log', async () => {
    const user = h.user({ name: 'Marieke Zwartbroek' });
    await user.install();
    await user.say('my secret holiday plans are in Lisbon');
    await user.say('start');
    const log = h.log.lines.join('\n');
    expect(h.log.lines.length).toBeGreaterThan(0);
    for (const secret of ['Lisbon', 'Zwartbroek', user.aadObjectId, user.teamsId, user.conversationId]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('a failure inside a turn', () => {
  it('tells the employee something went wrong, logs no content, and keeps serving', async () => {
    const stores: Stores = memoryStores();
    const broken: Stores = {
      ...stores,
      // Every other method as it is; reading one employee's progress fails.
      progress: Object.assign(Object.create(stores.progress) as Stores['progress'], {
        get: async () => {
          throw new Error('disk on fire');
        },
      }),
    };
    const harness = await startHarness({ stores: broken });
    try {
      const user = harness.user();
      const result = await user.say('progress');
      expect(result.texts).toEqual(['Sorry, something went wrong on our side. Please try again in a moment.']);
      expect(harness.log.lines.some((l) => l.includes('turn.failed'))).toBe(true);
      expect(harness.log.lines.join('\n')).not.toContain('progress"');
      await healthy(harness);
    } finally {
      await harness.close();
    }
  });
});

describe('with a Microsoft app id', () => {
  it('refuses every request without a valid token with 401', async () => {
    const harness = await startHarness({
      env: {
        MicrosoftAppId: '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        HOST: '127.0.0.1',
      },
    });
    try {
      const user = harness.user();
      const none = await harness.post(user.activity({ type: 'message', text: 'start' }));
      expect(none.status).toBe(401);
      const forged = await harness.post(user.activity({ type: 'message', text: 'start' }), {
        headers: { authorization: 'Bearer abc.def.ghi' },
      });
      expect(forged.status).toBe(401);
      expect(harness.connector.calls).toEqual([]);
      expect(await harness.stores.conversations.get(user.aadObjectId)).toBeUndefined();
    } finally {
      await harness.close();
    }
  });
});
