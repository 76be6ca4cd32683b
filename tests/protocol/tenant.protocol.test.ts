import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course/course.js';
import { FileHost } from '../support/fileHost.js';
import { cardText, ChannelMember, type BotHarness, type HttpResult, type TestUser } from '../support/harness.js';
import { loadCourse, rosterMember } from '../support/hrFixtures.js';
import { startOnLowdb } from '../support/lowdbHarness.js';
import { filesUnder } from '../support/storeFiles.js';
import { FOREIGN_TENANT, TENANT } from '../support/tenants.js';
import { useTempDirs } from '../support/tempDirs.js';

const HR_MAIL = 'hr.mail@contoso.example';

const tempDir = useTempDirs('tenant');
let files: FileHost;
let course: Course;
beforeAll(async () => {
  files = await FileHost.start();
  course = await loadCourse();
});
afterAll(() => files.close());

/** The real server on a real lowdb store in a temp folder, and that folder. */
async function start(env: Record<string, string>): Promise<{ h: BotHarness; dir: string }> {
  const dir = await tempDir();
  return { h: await startOnLowdb(dir, { env: { POSTWISE_HR_USERS: HR_MAIL, ...env } }), dir };
}

/**
 * Someone whose Teams profile carries HR's e-mail address and, as user principal name, the address
 * of a roster member not yet linked to anyone: in any tenant, Teams says what that tenant's admin set.
 */
function impostor(h: BotHarness, tenantId: string): TestUser {
  const user = Object.assign(h.user({ name: 'Eva de Wit' }), { tenantId });
  h.connector.members.set(user.teamsId, {
    id: user.teamsId,
    name: 'Eva de Wit',
    email: HR_MAIL,
    userPrincipalName: 'eva@contoso.example',
    aadObjectId: user.aadObjectId,
  });
  return user;
}

describe('with POSTWISE_ALLOWED_TENANTS', () => {
  let h: BotHarness;
  let dir: string;
  beforeEach(async () => {
    ({ h, dir } = await start({ POSTWISE_ALLOWED_TENANTS: TENANT }));
    await h.stores.roster.put(rosterMember('Eva'));
    await h.user().say('help'); // the organisation's tenant says where Teams is
  });
  afterEach(() => h.close());

  const foreign: [string, (user: TestUser, h: BotHarness) => Promise<HttpResult>][] = [
    ['a message', (user) => user.say('start')],
    ['an HR command from HR named by e-mail', (user) => user.say('roster')],
    ['a card submit', (user) => user.click('open', { lesson: course.lessons[0]?.id })],
    [
      'an app install (installationUpdate)',
      (user, h) => h.post(user.activity({ type: 'installationUpdate', action: 'add' })),
    ],
    ['an app install (conversationUpdate)', (user) => user.install()],
    [
      'a roster file dropped by HR named by e-mail',
      (user) => user.sendFile('roster.csv', files.add('Name;E-mail\r\nJoost Bakker;joost@contoso.example\r\n')),
    ],
    [
      'a message with its tenant only in channelData',
      (user, h) =>
        h.post(
          user.activity({
            type: 'message',
            text: 'start',
            conversation: { id: user.conversationId, conversationType: 'personal' },
          }),
        ),
    ],
    [
      'a message with the allowed conversation.tenantId but channelData.tenant',
      (user, h) =>
        h.post(
          user.activity({
            type: 'message',
            text: 'start',
            conversation: { id: user.conversationId, conversationType: 'personal', tenantId: TENANT },
          }),
        ),
    ],
    [
      'a message naming no tenant (so none)',
      (user, h) =>
        h.post(
          user.activity({
            type: 'message',
            text: 'start',
            conversation: { id: user.conversationId, conversationType: 'personal' },
            channelData: {},
          }),
        ),
    ],
    [
      '"contact here" in a channel from HR named by e-mail',
      (user, h) => {
        const member = Object.assign(new ChannelMember(h, 'Eva de Wit'), {
          teamsId: user.teamsId,
          aadObjectId: user.aadObjectId,
        });
        const mention = member.activity('19:contact-channel@thread.tacv2;messageid=1', {
          type: 'message',
          text: '<at>Postwise</at> contact here',
          entities: [
            { type: 'mention', text: '<at>Postwise</at>', mentioned: { id: '28:postwise-bot', name: 'Postwise' } },
          ],
        });
        const conversation = { ...(mention.conversation as Record<string, unknown>), tenantId: FOREIGN_TENANT };
        return h.post({
          ...mention,
          conversation,
          channelData: { ...(mention.channelData as Record<string, unknown>), tenant: { id: FOREIGN_TENANT } },
        });
      },
    ],
  ];

  it.each(foreign)('refuses %s from another tenant with 403, storing and sending nothing', async (_case, send) => {
    const place = await h.stores.settings.teamsPlace();
    const before = await filesUnder(dir);
    const user = impostor(h, FOREIGN_TENANT);

    const result = await send(user, h);

    expect(result.status).toBe(403);
    expect(result.body).toEqual({ code: 'Forbidden', message: "This bot serves only its organisation's tenant." });
    expect(result.calls).toEqual([]);
    expect(await filesUnder(dir)).toEqual(before);
    expect(await h.stores.settings.teamsPlace()).toEqual(place);
    expect(await h.stores.conversations.get(user.aadObjectId)).toBeUndefined();
    expect(await h.stores.progress.get(user.aadObjectId)).toBeUndefined();
    expect((await h.stores.roster.get('eva@contoso.example'))?.aadObjectId).toBeUndefined();
    expect(await h.stores.settings.contactChannel()).toBeUndefined();
    expect(h.log.lines.filter((l) => l.includes('activity.refused'))).toEqual([
      JSON.stringify({ event: 'activity.refused', status: 403 }),
    ]);
  });

  it('serves the same person from the organisation tenant (any letter case): linked by e-mail and known as HR', async () => {
    const before = await filesUnder(dir);
    const user = impostor(h, TENANT.toUpperCase());
    const result = await user.say('roster');
    expect(result.status).toBe(200);
    expect(cardText(result.cards[0])).toContain('drop a CSV file');
    expect((await h.stores.roster.get('eva@contoso.example'))?.aadObjectId).toBe(user.aadObjectId);
    expect(await h.stores.conversations.get(user.aadObjectId)).toMatchObject({ tenantId: TENANT.toUpperCase() });
    expect(await filesUnder(dir)).not.toEqual(before);
  });
});

describe('the allowed tenant by default', () => {
  it('is MicrosoftAppTenantId', async () => {
    const { h } = await start({ MicrosoftAppTenantId: TENANT });
    try {
      expect((await h.user().say('help')).status).toBe(200);
      const outsider = impostor(h, FOREIGN_TENANT);
      expect((await outsider.say('start')).status).toBe(403);
      expect(await h.stores.settings.teamsPlace()).toMatchObject({ tenantId: TENANT });
    } finally {
      await h.close();
    }
  });

  it('is every tenant in local mode when neither is set, as the Playground has a tenant of its own', async () => {
    const { h } = await start({});
    try {
      const user = impostor(h, '00000000-0000-0000-0000-0000000000001');
      expect((await user.say('help')).status).toBe(200);
      expect(await h.stores.settings.teamsPlace()).toMatchObject({ tenantId: '00000000-0000-0000-0000-0000000000001' });
    } finally {
      await h.close();
    }
  });
});
