import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course/course.js';
import { cardText, type BotHarness, type TestUser } from '../support/harness.js';
import { loadCourse } from '../support/hrFixtures.js';
import { startOnLowdb } from '../support/lowdbHarness.js';
import { filesUnder } from '../support/storeFiles.js';

const course: Course = await loadCourse();
let h: BotHarness;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'postwise-shape-'));
  h = await startOnLowdb(dir);
  await h.user().say('help'); // the store has a Teams place, which a bad activity must not overwrite
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

type Activity = Record<string, unknown>;
type Build = (user: TestUser) => Activity;

const FILE = 'application/vnd.microsoft.teams.file.download.info';

/** "start" in the personal chat, with some fields replaced. */
const message =
  (change: (user: TestUser) => Activity): Build =>
  (user) => ({ ...user.activity({ type: 'message', text: 'start' }), ...change(user) });

/** A click on a lesson card's Open button, with the invoke's fields replaced. */
const invoke =
  (change: Activity): Build =>
  (user) => ({
    ...user.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: 'open', data: { lesson: course.lessons[0]?.id } },
        trigger: 'manual',
      },
    }),
    ...change,
  });

const action = (fields: Activity): Build =>
  invoke({ value: { action: { type: 'Action.Execute', verb: 'open', data: {}, ...fields }, trigger: 'manual' } });

const cases: [string, Build, string][] = [
  ['text as a number', message(() => ({ text: 42 })), 'text must be a string'],
  ['text as an object', message(() => ({ text: { value: 'start' } })), 'text must be a string'],
  ['text as a list', message(() => ({ text: ['start'] })), 'text must be a string'],
  ['text as true', message(() => ({ text: true })), 'text must be a string'],
  ['attachments as an object', message(() => ({ attachments: { contentType: FILE } })), 'attachments must be a list'],
  ['attachments as a string', message(() => ({ attachments: 'roster.csv' })), 'attachments must be a list'],
  ['an attachment that is null', message(() => ({ attachments: [null] })), 'attachments[0] must be an object'],
  [
    'an attachment without a contentType',
    message(() => ({ attachments: [{ name: 'roster.csv' }] })),
    'attachments[0].contentType must be a string',
  ],
  [
    'an attachment name as an object',
    message(() => ({ attachments: [{ contentType: FILE, name: {}, content: { downloadUrl: 'https://x' } }] })),
    'attachments[0].name must be a string',
  ],
  ['entities as an object', message(() => ({ entities: { type: 'mention' } })), 'entities must be a list'],
  ['an entity that is a string', message(() => ({ entities: ['mention'] })), 'entities[0] must be an object'],
  [
    'an entity without a type',
    message(() => ({ entities: [{ mentioned: { id: '28:postwise-bot' } }] })),
    'entities[0].type must be a string',
  ],
  ['locale as an object', message(() => ({ locale: { language: 'nl' } })), 'locale must be a string'],
  ['locale as a number', message(() => ({ locale: 1043 })), 'locale must be a string'],
  ['locale as a list', message(() => ({ locale: ['nl-NL'] })), 'locale must be a string'],
  ['channelData as a string', message(() => ({ channelData: 'tenant' })), 'channelData must be an object'],
  ['channelData as a list', message(() => ({ channelData: [] })), 'channelData must be an object'],
  [
    'channelData.tenant as a string',
    message(() => ({ channelData: { tenant: 'contoso' } })),
    'channelData.tenant must be an object',
  ],
  [
    'channelData.tenant.id as a number',
    message(() => ({ channelData: { tenant: { id: 5 } } })),
    'channelData.tenant.id must be a non-empty string',
  ],
  ['channelData.team as a list', message(() => ({ channelData: { team: [] } })), 'channelData.team must be an object'],
  [
    'channelData.eventType as a number',
    message(() => ({ channelData: { eventType: 1 } })),
    'channelData.eventType must be a string',
  ],
  [
    'from.id as a number',
    message((u) => ({ from: { id: 7, aadObjectId: u.aadObjectId } })),
    'from.id must be a non-empty string',
  ],
  [
    'from.id of 2,000 characters',
    message((u) => ({ from: { id: 'x'.repeat(2000), aadObjectId: u.aadObjectId } })),
    'from.id must be a non-empty string of at most 1024',
  ],
  [
    'from.name as an object',
    message((u) => ({ from: { id: u.teamsId, aadObjectId: u.aadObjectId, name: { first: 'Anna' } } })),
    'from.name must be a string',
  ],
  [
    'from.aadObjectId as a number',
    message((u) => ({ from: { id: u.teamsId, aadObjectId: 5 } })),
    'from.aadObjectId must be a non-empty string',
  ],
  [
    'from.aadObjectId empty',
    message((u) => ({ from: { id: u.teamsId, aadObjectId: '' } })),
    'from.aadObjectId must be a non-empty string',
  ],
  ['recipient as a string', message(() => ({ recipient: '28:postwise-bot' })), 'recipient must be an object'],
  ['recipient.id as a number', message(() => ({ recipient: { id: 28 } })), 'recipient.id must be a non-empty string'],
  [
    'conversation.id as an object',
    message(() => ({ conversation: { id: { id: 'a:1' }, conversationType: 'personal' } })),
    'conversation.id must be a non-empty string',
  ],
  [
    'conversation.conversationType as a number',
    message((u) => ({ conversation: { id: u.conversationId, conversationType: 1 } })),
    'conversation.conversationType must be a string',
  ],
  [
    'conversation.tenantId as a number',
    message((u) => ({ conversation: { id: u.conversationId, tenantId: 72 } })),
    'conversation.tenantId must be a non-empty string',
  ],
  ['id as a number', message(() => ({ id: 5 })), 'id must be a string'],
  ['channelId as an object', message(() => ({ channelId: { id: 'msteams' } })), 'channelId must be a string'],
  [
    'membersAdded as an object',
    message((u) => ({ type: 'conversationUpdate', text: undefined, membersAdded: { id: u.teamsId } })),
    'membersAdded must be a list',
  ],
  [
    'a member added that is null',
    message(() => ({ type: 'conversationUpdate', text: undefined, membersAdded: [null] })),
    'membersAdded[0] must be an object',
  ],
  [
    'a member added without an id',
    message(() => ({ type: 'conversationUpdate', text: undefined, membersAdded: [{ name: 'Postwise' }] })),
    'membersAdded[0].id must be a non-empty string',
  ],
  [
    'membersRemoved as a string',
    message(() => ({ type: 'conversationUpdate', text: undefined, membersRemoved: '28:postwise-bot' })),
    'membersRemoved must be a list',
  ],
  [
    'an installationUpdate action as a number',
    message(() => ({ type: 'installationUpdate', text: undefined, action: 1 })),
    'action must be a string',
  ],
  ['an invoke without value', invoke({ value: undefined }), 'value must be an object'],
  ['an invoke value as a string', invoke({ value: 'open' }), 'value must be an object'],
  ['an invoke without value.action', invoke({ value: { trigger: 'manual' } }), 'value.action must be an object'],
  ['an invoke value.action as a string', invoke({ value: { action: 'open' } }), 'value.action must be an object'],
  ['an Action.Submit in an invoke', action({ type: 'Action.Submit' }), 'value.action.type must be Action.Execute'],
  ['an action without a verb', action({ verb: undefined }), 'value.action.verb must be a string'],
  ['an action verb as a number', action({ verb: 1 }), 'value.action.verb must be a string'],
  ['action data as a string', action({ data: 'lesson-1' }), 'value.action.data must be an object'],
  ['action data as a list', action({ data: ['lesson-1'] }), 'value.action.data must be an object'],
  [
    'an invoke the bot does not handle',
    invoke({ name: 'task/fetch', value: {} }),
    'the bot answers only adaptiveCard/action invokes',
  ],
  ['an invoke without a name', invoke({ name: undefined }), 'the bot answers only adaptiveCard/action invokes'],
  ['an invoke name as a number', invoke({ name: 7 }), 'name must be a string'],
];

describe('an activity of the wrong shape', () => {
  it.each(cases)('%s gets 400 saying what is wrong, and changes nothing', async (_case, build, problem) => {
    const user = h.user();
    const before = await filesUnder(dir);

    const result = await h.post(build(user));

    expect(result.status).toBe(400);
    expect(result.body).toEqual({ code: 'BadRequest', message: expect.stringContaining(problem) });
    expect(result.calls).toEqual([]);
    expect(await filesUnder(dir)).toEqual(before);
    expect(await h.stores.conversations.get(user.aadObjectId)).toBeUndefined();
    expect(h.log.lines.some((l) => l.includes('turn.failed'))).toBe(false);
  });
});

describe('an activity of the right shape', () => {
  it('is answered and stored, so the cases above show what a bad shape changes', async () => {
    const user = h.user();
    const before = await filesUnder(dir);
    const started = await h.post(message(() => ({}))(user));
    const opened = await h.post(invoke({})(user));
    expect([started.status, opened.status]).toEqual([200, 200]);
    expect(cardText(opened.cards[0])).toContain(course.lessons[0]?.title);
    expect(await h.stores.progress.get(user.aadObjectId)).toMatchObject({ lessonsOpened: [course.lessons[0]?.id] });
    expect(await filesUnder(dir)).not.toEqual(before);
  });

  it.each([
    ['text', message(() => ({ text: null })), 'did not understand'],
    ['locale', message(() => ({ locale: null })), course.lessons[0]?.title],
    ['channelData', message(() => ({ channelData: null })), course.lessons[0]?.title],
    ['attachments and entities', message(() => ({ attachments: null, entities: null })), course.lessons[0]?.title],
  ])('takes %s as JSON null for a field left out', async (_field, build, shown) => {
    const result = await h.post(build(h.user()));
    expect(result.status).toBe(200);
    expect(cardText(result.cards[0])).toContain(shown);
  });
});
