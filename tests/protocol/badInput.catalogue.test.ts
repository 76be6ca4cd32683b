import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/domain/time/clock.js';
import type { Course } from '../../src/domain/course/course.js';
import { signLink } from '../../src/http/downloadLinks.js';
import { cardsOf, type ConnectorCall } from '../support/fakeConnector.js';
import { FakeOpenId } from '../support/fakeOpenId.js';
import { FileHost } from '../support/fileHost.js';
import {
  actionsOf,
  cardText,
  ChannelMember,
  type BotHarness,
  type HttpResult,
  type TestUser,
} from '../support/harness.js';
import { completeCourseInStore, loadCourse } from '../support/hrFixtures.js';
import { HR_ID, hrInChannel, hrUser as hrInChat } from '../support/hrPeople.js';
import { startOnLowdb } from '../support/lowdbHarness.js';
import { filesUnder } from '../support/storeFiles.js';
import { FOREIGN_TENANT, TENANT } from '../support/tenants.js';
import { uiPatterns } from '../support/uiPatterns.js';

/**
 * The bad-input catalogue: one row for every kind of bad input the bot can be sent, with the
 * HTTP status it must get, what the person is shown, and, for every row, a store on disk that
 * is byte for byte what it was before. A row that legitimately changed something would say so;
 * none does.
 */

const APP_ID = '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';
const CHANNEL = '19:contact-channel@thread.tacv2';
/** Monday 10:00 in Amsterdam, for ever: nothing in the store ages while the table runs. */
const clock: Clock = { now: () => new Date('2026-11-02T09:00:00Z') };

/** What came back: the status, and everything the person who sent it is shown. */
interface Outcome {
  readonly status: number;
  /** JSON error body of a refused request, if any. */
  readonly body?: unknown;
  /** Texts of the messages and cards sent, of the invoke response, or of a download page. */
  readonly shown: string[];
  /** What the bot sent to the Bot Connector meanwhile. */
  readonly calls: ConnectorCall[];
}

/** The bots and people the rows work with (see setUp). */
interface World {
  /** Local mode (no app id), the organisation's tenant only, on a lowdb store in `dir`. */
  readonly h: BotHarness;
  readonly dir: string;
  /** Bot Framework authentication on, checked against `openId`, on a store of its own in `authDir`. */
  readonly auth: BotHarness;
  readonly authDir: string;
  readonly openId: FakeOpenId;
  readonly course: Course;
  /** Has started the course: lesson 1 open, its first question answered right. */
  readonly employee: TestUser;
  /** Has finished the course and answered the inventory. */
  readonly finished: TestUser;
  readonly hr: TestUser;
  /** HR in the contact channel. */
  readonly contact: ChannelMember;
  /** Asked question #1, whose thread is `thread`. */
  readonly asker: TestUser;
  readonly askRequest: string;
  readonly thread: string;
  /** A roster file HR imported. */
  readonly upload: string;
  /** HR's export link. */
  readonly exportUrl: string;
  readonly files: FileHost;
  /** A file host that misbehaves (see startOddHost). */
  readonly odd: string;
}

/** What the person should be shown: a ui.json text by key (any of several), a pattern, or nothing. */
type Sees = string | readonly string[] | RegExp | typeof NOTHING;
const NOTHING = null;

interface Case {
  readonly name: string;
  readonly send: (w: World) => Promise<Outcome>;
  readonly status: number;
  readonly sees: Sees;
  /** The bot with Bot Framework authentication on, instead of local mode. */
  readonly auth?: true;
}

// ---------------------------------------------------------------------------------------------
// Request builders

/** The texts of the messages and cards the bot sent. */
const sent = (calls: ConnectorCall[]): string[] =>
  calls.flatMap((c) => [
    ...(typeof c.activity.text === 'string' ? [c.activity.text] : []),
    ...cardsOf(c.activity).map(cardText),
  ]);

const outcome = (r: HttpResult): Outcome => {
  const body = r.body as { statusCode?: number; value?: unknown } | undefined;
  const invoke = body?.statusCode === 200 ? [typeof body.value === 'string' ? body.value : cardText(body.value)] : [];
  return { status: r.status, body: r.body, shown: [...invoke, ...sent(r.calls)], calls: r.calls };
};

/** A raw HTTP request to the local-mode bot's /api/messages (or another path). */
const http =
  (init: RequestInit & { path?: string; body?: string | Uint8Array }): Case['send'] =>
  async (w) => {
    const before = w.h.connector.calls.length;
    const response = await fetch(`${w.h.app.url}${init.path ?? '/api/messages'}`, {
      method: 'POST',
      ...init,
      body: init.body ?? null,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // A plain-text refusal: kept as it is.
    }
    const calls = w.h.connector.calls.slice(before);
    return { status: response.status, body, shown: sent(calls), calls };
  };

const json = { 'content-type': 'application/json' };

/** An activity of the employee, posted as JSON with these headers. */
const postActivity =
  (
    fields: (w: World) => Record<string, unknown>,
    headers: Record<string, string> = json,
    encode: (b: Buffer) => Buffer = (b) => b,
  ): Case['send'] =>
  (w) =>
    http({ headers, body: new Uint8Array(encode(Buffer.from(JSON.stringify(w.employee.activity(fields(w)))))) })(w);

/** The employee's "start" with some fields replaced. */
const shaped = (fields: (w: World) => Record<string, unknown>) => async (w: World) =>
  outcome(await w.h.post({ ...w.employee.activity({ type: 'message', text: 'start' }), ...fields(w) }));

const says = (who: (w: World) => TestUser, text: string) => async (w: World) => outcome(await who(w).say(text));
const clicks =
  (who: (w: World) => TestUser, verb: string, data: (w: World) => Record<string, unknown> = () => ({})) =>
  async (w: World) =>
    outcome(await who(w).click(verb, data(w)));
const employee = (w: World) => w.employee;
const hr = (w: World) => w.hr;

/** HR drops a file into the chat; `url` gives its download address. */
const drops = (name: string, url: (w: World) => string, fileType?: string) => async (w: World) =>
  outcome(await w.hr.sendFile(name, url(w), fileType));
/** HR drops a roster file with this content, served by the local file host. */
const csv = (content: string | Buffer) => drops('roster.csv', (w) => w.files.add(content));
const rows = (...lines: string[]) => csv(['Name;E-mail;Department;Role;Entra object id', ...lines].join('\r\n'));

/** GET of a download link made from HR's real one. */
const download =
  (token: (w: World, real: string) => string | Promise<string>, method = 'GET'): Case['send'] =>
  async (w) => {
    const real = w.exportUrl.split('/downloads/')[1] ?? '';
    const response = await fetch(`${w.h.app.url}/downloads/${await token(w, real)}`, { method });
    return { status: response.status, shown: [await response.text()], calls: [] };
  };
const linkFor = async (w: World, claims: { kind?: string; userId?: string; expiresAt?: number }, secret?: string) =>
  signLink(secret ?? (await w.h.stores.settings.secret()), {
    id: randomUUID(),
    kind: 'export',
    userId: HR_ID,
    expiresAt: Date.parse('2026-11-02T09:10:00Z'),
    language: 'en',
    ...claims,
  } as Parameters<typeof signLink>[1]);

/** The employee's "start" to the bot with authentication on, with this Authorization header. */
const withToken =
  (header: (w: World) => string | undefined): Case['send'] =>
  async (w) => {
    const token = header(w);
    const user = w.employee.on(w.auth);
    return outcome(
      await w.auth.post(
        user.activity({ type: 'message', text: 'start' }),
        token === undefined ? {} : { headers: { authorization: token } },
      ),
    );
  };
const claims = (w: World, changes: Record<string, unknown> = {}) => ({
  ...FakeOpenId.claims(APP_ID, w.auth.connector.url),
  ...changes,
});
const seconds = () => Math.floor(Date.now() / 1000);

/** The person, speaking from another tenant. */
const foreign = (who: (w: World) => TestUser) => (w: World) =>
  Object.assign(who(w).on(w.h), { tenantId: FOREIGN_TENANT });

const firstLesson = (w: World) => w.course.lessons[0]!;
const laterLesson = (w: World) => w.course.lessons[3]!;
const campaign = { request: 'c-bad', audience: 'everyone', due: '2026-12-01', note: '' };

// ---------------------------------------------------------------------------------------------
// The catalogue

const HTTP: Case[] = [
  { name: 'GET /api/messages', send: http({ method: 'GET' }), status: 405, sees: NOTHING },
  {
    name: 'PUT /api/messages',
    send: (w) =>
      http({
        method: 'PUT',
        headers: json,
        body: JSON.stringify(w.employee.activity({ type: 'message', text: 'start' })),
      })(w),
    status: 405,
    sees: NOTHING,
  },
  { name: 'DELETE /api/messages', send: http({ method: 'DELETE' }), status: 405, sees: NOTHING },
  {
    name: 'PATCH /api/messages',
    send: http({ method: 'PATCH', headers: json, body: '{}' }),
    status: 405,
    sees: NOTHING,
  },
  { name: 'OPTIONS /api/messages', send: http({ method: 'OPTIONS' }), status: 405, sees: NOTHING },
  {
    name: 'POST to a path that does not exist',
    send: http({ path: '/api/message', headers: json, body: '{}' }),
    status: 404,
    sees: NOTHING,
  },
  {
    name: 'text/plain with a JSON activity',
    send: postActivity(() => ({ type: 'message', text: 'start' }), { 'content-type': 'text/plain' }),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'no content type',
    send: postActivity(() => ({ type: 'message', text: 'start' }), {}),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'application/xml',
    send: http({ headers: { 'content-type': 'application/xml' }, body: '<activity type="message">start</activity>' }),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'a form post',
    send: http({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'type=message&text=start' }),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'multipart form data',
    send: http({
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n--x--\r\n',
    }),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'JSON cut off',
    send: http({ headers: json, body: '{"type":"message","text":"sta' }),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'JSON with trailing garbage',
    send: http({ headers: json, body: '{"type":"message"}}' }),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'JSON with a byte-order mark',
    send: (w) =>
      http({ headers: json, body: `\ufeff${JSON.stringify(w.employee.activity({ type: 'message', text: 'start' }))}` })(
        w,
      ),
    status: 400,
    sees: NOTHING,
  },
  { name: 'JSON null', send: http({ headers: json, body: 'null' }), status: 400, sees: NOTHING },
  { name: 'a JSON list', send: http({ headers: json, body: '[{"type":"message"}]' }), status: 400, sees: NOTHING },
  { name: 'a JSON string', send: http({ headers: json, body: '"start"' }), status: 400, sees: NOTHING },
  { name: 'a JSON number', send: http({ headers: json, body: '42' }), status: 400, sees: NOTHING },
  { name: 'an empty body', send: http({ headers: json, body: '' }), status: 400, sees: NOTHING },
  {
    name: 'a body over 256 KB',
    send: postActivity(() => ({ type: 'message', text: 'x'.repeat(300 * 1024) })),
    status: 413,
    sees: NOTHING,
  },
  {
    name: 'gzip',
    send: postActivity(() => ({ type: 'message', text: 'start' }), { ...json, 'content-encoding': 'gzip' }, gzipSync),
    status: 415,
    sees: NOTHING,
  },
  {
    name: 'deflate',
    send: postActivity(
      () => ({ type: 'message', text: 'start' }),
      { ...json, 'content-encoding': 'deflate' },
      deflateSync,
    ),
    status: 415,
    sees: NOTHING,
  },
  {
    name: 'brotli',
    send: postActivity(
      () => ({ type: 'message', text: 'start' }),
      { ...json, 'content-encoding': 'br' },
      brotliCompressSync,
    ),
    status: 415,
    sees: NOTHING,
  },
  {
    name: 'an encoding nobody knows',
    send: postActivity(() => ({ type: 'message', text: 'start' }), { ...json, 'content-encoding': 'x-bogus' }),
    status: 415,
    sees: NOTHING,
  },
  {
    name: 'invalid UTF-8 in the text',
    send: (w) => {
      const [head, tail] = JSON.stringify(w.employee.activity({ type: 'message', text: '@' })).split('"@"');
      return http({
        headers: json,
        body: new Uint8Array(
          Buffer.concat([Buffer.from(`${head}"`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`"${tail}`)]),
        ),
      })(w);
    },
    status: 200,
    sees: 'notUnderstood',
  },
  {
    name: 'JSON nested 50,000 deep',
    send: (w) =>
      http({
        headers: json,
        body: JSON.stringify(w.employee.activity({ type: 'message', text: 'help' })).replace(
          '"type"',
          `"deep":${'['.repeat(50_000)}${']'.repeat(50_000)},"type"`,
        ),
      })(w),
    status: 200,
    sees: 'helpTitle',
  },
  {
    name: 'a __proto__ key in the body',
    send: (w) =>
      http({
        headers: json,
        body: JSON.stringify(w.employee.activity({ type: 'message', text: 'help' })).replace(
          '{',
          '{"__proto__":{"type":"invoke","isHr":true},',
        ),
      })(w),
    status: 200,
    sees: 'helpTitle',
  },
];

const SHAPE: Case[] = [
  { name: 'no type', send: shaped(() => ({ type: undefined })), status: 400, sees: NOTHING },
  { name: 'no from', send: shaped(() => ({ from: undefined })), status: 400, sees: NOTHING },
  { name: 'no conversation', send: shaped(() => ({ conversation: undefined })), status: 400, sees: NOTHING },
  {
    name: 'a serviceUrl that is not http(s)',
    send: shaped(() => ({ serviceUrl: 'javascript:alert(1)' })),
    status: 400,
    sees: NOTHING,
  },
  { name: 'text as a number', send: shaped(() => ({ text: 42 })), status: 400, sees: NOTHING },
  { name: 'text as an object', send: shaped(() => ({ text: { value: 'start' } })), status: 400, sees: NOTHING },
  {
    name: 'attachments as an object',
    send: shaped(() => ({ attachments: { contentType: 'text/plain' } })),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'entities as an object',
    send: shaped(() => ({ entities: { type: 'mention' } })),
    status: 400,
    sees: NOTHING,
  },
  { name: 'locale as an object', send: shaped(() => ({ locale: { language: 'nl' } })), status: 400, sees: NOTHING },
  {
    name: 'from.id of 2,000 characters',
    send: shaped((w) => ({ from: { id: 'x'.repeat(2000), aadObjectId: w.employee.aadObjectId } })),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'an invoke without value.action',
    send: shaped(() => ({ type: 'invoke', name: 'adaptiveCard/action', value: { trigger: 'manual' } })),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'an invoke the bot does not handle',
    send: shaped(() => ({ type: 'invoke', name: 'task/fetch', value: {} })),
    status: 400,
    sees: NOTHING,
  },
  {
    name: 'an Action.Submit in an invoke',
    send: shaped(() => ({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Submit', verb: 'start' } },
    })),
    status: 400,
    sees: NOTHING,
  },
  { name: 'an activity type nobody sends', send: shaped(() => ({ type: 'telepathy' })), status: 200, sees: NOTHING },
  { name: 'a typing indicator', send: shaped(() => ({ type: 'typing', text: undefined })), status: 200, sees: NOTHING },
  {
    name: 'a reaction to a message',
    send: shaped(() => ({ type: 'messageReaction', text: undefined, reactionsAdded: [{ type: 'like' }] })),
    status: 200,
    sees: NOTHING,
  },
  {
    name: 'an event activity',
    send: shaped(() => ({ type: 'event', name: 'application/vnd.microsoft.meetingStart', text: undefined })),
    status: 200,
    sees: NOTHING,
  },
];

const SUBMITS: Case[] = [
  { name: 'an unknown verb', send: clicks(employee, 'deleteEverything'), status: 200, sees: 'staleCard' },
  { name: 'the verb __proto__', send: clicks(employee, '__proto__'), status: 200, sees: 'staleCard' },
  { name: 'the verb constructor', send: clicks(employee, 'constructor'), status: 200, sees: 'staleCard' },
  {
    name: 'a typed-only command as a verb',
    send: clicks(employee, 'language', () => ({ lang: 'nl' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'open: lesson id as a list',
    send: clicks(employee, 'open', (w) => ({ lesson: [firstLesson(w).id] })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'open: lesson __proto__',
    send: clicks(employee, 'open', () => ({ lesson: '__proto__' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'open: a lesson not reached yet',
    send: clicks(employee, 'open', (w) => ({ lesson: laterLesson(w).id })),
    status: 200,
    sees: 'notReached',
  },
  {
    name: 'answer: question id as a number',
    send: clicks(employee, 'answer', () => ({ question: 1, choice: 'a' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: a question id of 10,000 characters',
    send: clicks(employee, 'answer', () => ({ question: 'q'.repeat(10_000), choice: 'a' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: a question that does not exist',
    send: clicks(employee, 'answer', () => ({ question: 'no-such-question', choice: 'a' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: question constructor',
    send: clicks(employee, 'answer', () => ({ question: 'constructor', choice: 'a' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: a question from a lesson not opened',
    send: clicks(employee, 'answer', (w) => ({
      question: laterLesson(w).questions[0]?.id,
      choice: laterLesson(w).questions[0]?.choices[0]?.id,
    })),
    status: 200,
    sees: 'notReached',
  },
  {
    name: 'answer: a choice that does not exist',
    send: clicks(employee, 'answer', (w) => ({ question: firstLesson(w).questions[1]?.id, choice: 'z' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: choice as a number',
    send: clicks(employee, 'answer', (w) => ({ question: firstLesson(w).questions[1]?.id, choice: 1 })),
    status: 200,
    sees: 'chooseFirst',
  },
  {
    name: 'answer: choice as an object',
    send: clicks(employee, 'answer', (w) => ({ question: firstLesson(w).questions[1]?.id, choice: { id: 'a' } })),
    status: 200,
    sees: 'chooseFirst',
  },
  {
    name: 'answer: choice toString',
    send: clicks(employee, 'answer', (w) => ({ question: firstLesson(w).questions[1]?.id, choice: 'toString' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: a review attempt that is not a number',
    send: clicks(employee, 'answer', (w) => ({
      question: firstLesson(w).questions[1]?.id,
      choice: 'a',
      review: 'first',
    })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: a review attempt of 0',
    send: clicks(employee, 'answer', (w) => ({ question: firstLesson(w).questions[1]?.id, choice: 'a', review: '0' })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'answer: a review before the review round',
    send: clicks(employee, 'answer', (w) => ({ question: firstLesson(w).questions[0]?.id, choice: 'a', review: '1' })),
    status: 200,
    sees: 'notReached',
  },
  {
    name: 'answer replayed: the same choice again',
    send: clicks(employee, 'answer', (w) => ({
      question: firstLesson(w).questions[0]?.id,
      choice: firstLesson(w).questions[0]?.choices.find((c) => c.correct)?.id,
    })),
    status: 200,
    sees: 'right',
  },
  {
    name: 'answer replayed: another choice for an answered question',
    send: clicks(employee, 'answer', (w) => ({
      question: firstLesson(w).questions[0]?.id,
      choice: firstLesson(w).questions[0]?.choices.find((c) => !c.correct)?.id,
    })),
    status: 200,
    sees: 'right',
  },
  {
    name: 'acknowledge: before finishing',
    send: clicks(employee, 'acknowledge', (w) => ({ version: w.course.version, agree: 'yes' })),
    status: 200,
    sees: 'notFinished',
  },
  {
    name: 'acknowledge: agree as true, not "yes"',
    send: clicks(employee, 'acknowledge', (w) => ({ version: w.course.version, agree: true })),
    status: 200,
    sees: 'ackRequired',
  },
  {
    name: 'acknowledge: a version that does not exist',
    send: clicks(
      (w) => w.finished,
      'acknowledge',
      () => ({ version: '1999-01', agree: 'yes' }),
    ),
    status: 200,
    sees: 'outdatedVersion',
  },
  {
    name: 'acknowledge replayed',
    send: clicks(
      (w) => w.finished,
      'acknowledge',
      (w) => ({ version: w.course.version, agree: 'yes' }),
    ),
    status: 200,
    sees: 'completeTitle',
  },
  {
    name: 'renewalStart: lapse as a list',
    send: clicks(
      (w) => w.finished,
      'renewalStart',
      () => ({ lapse: ['2027-10-20'] }),
    ),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'renewalStart: no renewal due',
    send: clicks(
      (w) => w.finished,
      'renewalStart',
      () => ({ lapse: '2027-10-20' }),
    ),
    status: 200,
    sees: 'renewalNotDue',
  },
  {
    name: 'renewalAnswer: attempt __proto__',
    send: clicks(employee, 'renewalAnswer', (w) => ({
      question: firstLesson(w).questions[0]?.id,
      lapse: '2027-10-20',
      attempt: '__proto__',
      choice: 'a',
    })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'renewalAnswer: a lapse of 10,000 characters',
    send: clicks(employee, 'renewalAnswer', (w) => ({
      question: firstLesson(w).questions[0]?.id,
      lapse: '2'.repeat(10_000),
      attempt: '1',
      choice: 'a',
    })),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'renewalAnswer: no renewal due',
    send: clicks(
      (w) => w.finished,
      'renewalAnswer',
      (w) => ({ question: firstLesson(w).questions[0]?.id, lapse: '2027-10-20', attempt: '1', choice: 'a' }),
    ),
    status: 200,
    sees: 'renewalStale',
  },
  {
    name: 'renewalAcknowledge: no renewal due',
    send: clicks(
      (w) => w.finished,
      'renewalAcknowledge',
      () => ({ lapse: 'constructor', agree: 'yes' }),
    ),
    status: 200,
    sees: 'renewalStale',
  },
  {
    name: 'inventory before finishing the course',
    send: clicks(employee, 'inventory', () => ({ platforms: 'linkedin' })),
    status: 200,
    sees: 'inventoryNotYet',
  },
  {
    name: 'inventory replayed',
    send: clicks(
      (w) => w.finished,
      'inventory',
      () => ({ platforms: 'tiktok' }),
    ),
    status: 200,
    sees: 'inventoryDone',
  },
  {
    name: 'inventory: a platform that does not exist',
    send: clicks(
      (w) => w.finished,
      'inventory',
      () => ({ platforms: 'myspace' }),
    ),
    status: 200,
    sees: ['inventoryEmpty', 'inventoryDone'],
  },
  {
    name: 'askSend: 100,000 characters',
    send: clicks(employee, 'askSend', () => ({
      request: 'r-long',
      text: 'x'.repeat(100_000),
      category: 'policy',
      anonymous: 'no',
    })),
    status: 200,
    sees: 'askInvalid',
  },
  {
    name: 'askSend: text as a list',
    send: clicks(employee, 'askSend', () => ({
      request: 'r-list',
      text: ['Hi?'],
      category: 'policy',
      anonymous: 'no',
    })),
    status: 200,
    sees: 'askInvalid',
  },
  {
    name: 'askSend replayed (same request)',
    send: clicks(
      (w) => w.asker,
      'askSend',
      (w) => ({ request: w.askRequest, text: 'Answered?', category: 'policy', anonymous: 'no' }),
    ),
    status: 200,
    sees: 'askSent',
  },
  {
    name: 'reportSend: a javascript: link',
    send: clicks(employee, 'reportSend', () => ({
      request: 'r-js',
      text: 'Look',
      link: 'javascript:alert(1)',
      urgency: 'normal',
    })),
    status: 200,
    sees: 'reportInvalidLink',
  },
  {
    name: 'ticketReply: someone else’s ticket',
    send: clicks(employee, 'ticketReply', () => ({ ticket: 1, request: 'x', text: 'Mine now' })),
    status: 200,
    sees: 'ticketUnknown',
  },
  {
    name: 'ticketReply: ticket __proto__',
    send: clicks(
      (w) => w.asker,
      'ticketReply',
      () => ({ ticket: '__proto__', request: 'x', text: 'Hi' }),
    ),
    status: 200,
    sees: 'ticketUnknown',
  },
  {
    name: 'ticketReopen: ticket as an object',
    send: clicks(
      (w) => w.asker,
      'ticketReopen',
      () => ({ ticket: { number: 1 } }),
    ),
    status: 200,
    sees: 'ticketUnknown',
  },
  {
    name: 'ticketClaim from the personal chat',
    send: clicks(
      (w) => w.asker,
      'ticketClaim',
      () => ({ ticket: 1 }),
    ),
    status: 200,
    sees: 'notHere',
  },
  {
    name: 'ticketResolve in another ticket’s thread',
    send: async (w) => outcome(await w.contact.click(`${CHANNEL};messageid=999999`, 'ticketResolve', { ticket: 1 })),
    status: 200,
    sees: 'notHere',
  },
  {
    name: 'faqPublish of a ticket that does not exist',
    send: async (w) =>
      outcome(
        await w.contact.click(w.thread, 'faqPublish', { ticket: 99, question: 'Q', answer: 'A', language: 'en' }),
      ),
    status: 200,
    sees: 'ticketUnknown',
  },
  {
    name: 'a personal button clicked in the channel',
    send: async (w) => outcome(await w.contact.click(w.thread, 'answer', { question: 'x', choice: 'a' })),
    status: 200,
    sees: 'onlyPersonal',
  },
  {
    name: 'forged HR verb: hrCampaignSend by an employee',
    send: clicks(employee, 'hrCampaignSend', () => campaign),
    status: 200,
    sees: 'hrOnly',
  },
  {
    name: 'forged HR verb: hrRosterImport by an employee',
    send: clicks(employee, 'hrRosterImport', (w) => ({ upload: w.upload, acceptErrors: 'yes' })),
    status: 200,
    sees: 'hrOnly',
  },
  { name: 'forged HR verb: hrExport by an employee', send: clicks(employee, 'hrExport'), status: 200, sees: 'hrOnly' },
  { name: 'forged HR verb: hrRemind by an employee', send: clicks(employee, 'hrRemind'), status: 200, sees: 'hrOnly' },
  {
    name: "forged manager's verb: teamRemind by someone who manages nobody",
    send: clicks(employee, 'teamRemind'),
    status: 200,
    sees: 'teamNone',
  },
  {
    name: 'forged HR verb: hrEnrolmentSave by an employee',
    send: clicks(employee, 'hrEnrolmentSave', () => ({ sendAfterDays: '0', dueDays: '1' })),
    status: 200,
    sees: 'hrOnly',
  },
  {
    name: 'HR: enrolment days as an object and a huge number',
    send: clicks(hr, 'hrEnrolmentSave', () => ({ sendAfterDays: { valueOf: 3 }, dueDays: '9'.repeat(400) })),
    status: 200,
    sees: 'enrolmentInvalidDays',
  },
  {
    name: 'HR: a campaign due in the past',
    send: clicks(hr, 'hrCampaignPreview', () => ({ ...campaign, due: '2026-10-01' })),
    status: 200,
    sees: 'campaignInvalidDue',
  },
  {
    name: 'HR: a campaign for a department that does not exist',
    send: clicks(hr, 'hrCampaignSend', () => ({ ...campaign, audience: 'departments', departments: 'dNowhere' })),
    status: 200,
    sees: ['campaignUnknownDepartments', 'campaignInvalidDepartments'],
  },
  {
    name: 'forged HR verb: hrCampaignSchedule by an employee',
    send: clicks(employee, 'hrCampaignSchedule', () => ({ ...campaign, startDate: '2026-11-03', startTime: '10:00' })),
    status: 200,
    sees: 'hrOnly',
  },
  {
    name: 'forged HR verb: hrCampaignGroupFind by an employee',
    send: clicks(employee, 'hrCampaignGroupFind', () => ({ ...campaign, groupSearch: 'sales' })),
    status: 200,
    sees: 'hrOnly',
  },
  {
    name: 'HR: a campaign scheduled for a tampered time',
    send: clicks(hr, 'hrCampaignSchedule', () => ({ ...campaign, startDate: '2026-11-03', startTime: ['10:00'] })),
    status: 200,
    sees: 'sendAtInvalid',
  },
  {
    name: 'HR: a campaign scheduled outside office hours',
    send: clicks(hr, 'hrCampaignSchedule', () => ({ ...campaign, startDate: '2026-11-03', startTime: '23:00' })),
    status: 200,
    sees: 'sendAtOutsideHours',
  },
  {
    name: 'HR: cancel of schedule __proto__',
    send: clicks(hr, 'hrCampaignCancel', () => ({ schedule: '__proto__' })),
    status: 200,
    sees: 'campaignUnknown',
  },
  {
    name: 'HR: a campaign to an Entra group while the roster is not from Graph',
    send: clicks(hr, 'hrCampaignPreview', () => ({ ...campaign, audience: 'group', group: 'g-1' })),
    status: 200,
    sees: 'campaignInvalidAudience',
  },
  {
    name: 'HR: campaign status of campaign constructor',
    send: clicks(hr, 'hrCampaignStatus', () => ({ campaign: 'constructor' })),
    status: 200,
    sees: 'campaignUnknown',
  },
  {
    name: 'HR: import of upload __proto__',
    send: clicks(hr, 'hrRosterImport', () => ({ upload: '__proto__', acceptErrors: 'yes' })),
    status: 200,
    sees: 'rosterUploadUnknown',
  },
  {
    name: 'HR: a roster import replayed',
    send: clicks(hr, 'hrRosterImport', (w) => ({ upload: w.upload, acceptErrors: 'no' })),
    status: 200,
    sees: 'rosterUploadUsed',
  },
];

/** A person with this Entra object id (issue 9, section 5: ids that are also JavaScript property names). */
const named = (id: string) => (w: World) => Object.assign(w.h.user(), { aadObjectId: id });

const PROPERTY_NAMES: Case[] = [
  {
    name: 'a person whose id is __proto__ clicks an unknown verb',
    send: clicks(named('__proto__'), 'nope'),
    status: 200,
    sees: 'staleCard',
  },
  {
    name: 'a person whose id is constructor sends 2,000 characters',
    send: says(named('constructor'), 'x'.repeat(2000)),
    status: 200,
    sees: 'tooLong',
  },
  {
    name: 'a person whose id is toString, from another tenant',
    send: async (w) => outcome(await Object.assign(named('toString')(w), { tenantId: FOREIGN_TENANT }).say('start')),
    status: 403,
    sees: NOTHING,
  },
  {
    name: 'ticketReopen: ticket constructor',
    send: clicks(
      (w) => w.asker,
      'ticketReopen',
      () => ({ ticket: 'constructor' }),
    ),
    status: 200,
    sees: 'ticketUnknown',
  },
  {
    name: 'HR: campaign status of campaign __proto__',
    send: clicks(hr, 'hrCampaignStatus', () => ({ campaign: '__proto__' })),
    status: 200,
    sees: 'campaignUnknown',
  },
  {
    name: 'HR: import of upload toString',
    send: clicks(hr, 'hrRosterImport', () => ({ upload: 'toString', acceptErrors: 'yes' })),
    status: 200,
    sees: 'rosterUploadUnknown',
  },
  {
    name: 'HR: import of upload valueOf by an employee',
    send: clicks(employee, 'hrRosterImport', () => ({ upload: 'valueOf', acceptErrors: 'yes' })),
    status: 200,
    sees: 'hrOnly',
  },
  {
    name: 'HR: a campaign with request __proto__ due in the past',
    send: clicks(hr, 'hrCampaignSend', () => ({ ...campaign, request: '__proto__', due: '2020-01-01' })),
    status: 200,
    sees: 'campaignInvalidDue',
  },
  {
    name: 'askSend: request constructor with no text',
    send: clicks(employee, 'askSend', () => ({
      request: 'constructor',
      text: '',
      category: 'policy',
      anonymous: 'no',
    })),
    status: 200,
    sees: 'askInvalid',
  },
  {
    name: 'faqEdit of ticket hasOwnProperty',
    send: async (w) => outcome(await w.contact.click(w.thread, 'faqEdit', { ticket: 'hasOwnProperty' })),
    status: 200,
    sees: 'ticketUnknown',
  },
];

const COMMANDS: Case[] = [
  { name: '1,001 characters', send: says(employee, 'start '.repeat(167)), status: 200, sees: 'tooLong' },
  { name: '200,000 characters', send: says(employee, 'x'.repeat(200_000)), status: 200, sees: 'tooLong' },
  {
    name: 'control characters',
    send: says(employee, '\u0000\u0007\u001b[2J\u0008'),
    status: 200,
    sees: 'notUnderstood',
  },
  { name: 'only a mention of the bot', send: says(employee, '<at>Postwise</at>'), status: 200, sees: 'notUnderstood' },
  { name: 'only whitespace', send: says(employee, ' \t\r\n\u00a0'), status: 200, sees: 'notUnderstood' },
  { name: 'emoji', send: says(employee, '🔥🙈👍🏽'), status: 200, sees: 'notUnderstood' },
  { name: 'full-width letters', send: says(employee, 'ｓｔａｒｔ'), status: 200, sees: 'notUnderstood' },
  { name: 'a lone surrogate', send: says(employee, '\ud800 help \udfff'), status: 200, sees: 'notUnderstood' },
  {
    name: 'right-to-left override',
    send: says(employee, '\u202eprogress\u202c nl'),
    status: 200,
    sees: ['notUnderstood', 'progressTitle'],
  },
  {
    name: 'HTML and script',
    send: says(employee, '<script>alert(1)</script><img src=x onerror=alert(1)>'),
    status: 200,
    sees: 'notUnderstood',
  },
  { name: 'a language that does not exist', send: says(employee, 'language xx'), status: 200, sees: 'languageUsage' },
  { name: 'language __proto__', send: says(employee, 'language __proto__'), status: 200, sees: 'languageUsage' },
  { name: 'an HR command from an employee', send: says(employee, 'export'), status: 200, sees: 'hrOnly' },
  {
    name: '"contact here" in the personal chat',
    send: says(employee, 'contact here'),
    status: 200,
    sees: 'notUnderstood',
  },
  {
    name: '"contact here" in a channel by someone not HR',
    send: async (w) =>
      outcome(await new ChannelMember(w.h, 'Piet Jansen', '19:other@thread.tacv2').mention('contact here')),
    status: 200,
    sees: 'contactRefused',
  },
  {
    name: 'only a mention in a channel',
    send: async (w) => outcome(await w.contact.mention('')),
    status: 200,
    sees: 'channelHelp',
  },
  {
    name: 'a personal command in a channel',
    send: async (w) => outcome(await w.contact.mention('export')),
    status: 200,
    sees: 'channelHelp',
  },
  {
    name: 'a reply in a thread that is no ticket',
    send: async (w) => outcome(await w.contact.replyIn(`${CHANNEL};messageid=424242`, 'Is this on?')),
    status: 200,
    sees: NOTHING,
  },
];

const FILES: Case[] = [
  {
    name: 'a file from someone not HR',
    send: async (w) => outcome(await w.employee.sendFile('roster.csv', w.files.add('Name;E-mail\r\n'))),
    status: 200,
    sees: 'filesNotHere',
  },
  {
    name: 'an Excel file',
    send: drops('roster.xlsx', (w) => w.files.add('PK\u0003\u0004')),
    status: 200,
    sees: 'rosterNotCsv',
  },
  {
    name: 'an executable named .csv.exe',
    send: drops('roster.csv.exe', (w) => w.files.add('MZ'), 'exe'),
    status: 200,
    sees: 'rosterNotCsv',
  },
  {
    name: 'a download address on a foreign host',
    send: drops('roster.csv', () => 'https://evil.example/roster.csv'),
    status: 200,
    sees: 'rosterFileRefused',
  },
  {
    name: 'a SharePoint address over http',
    send: drops('roster.csv', () => 'http://contoso.sharepoint.com/roster.csv'),
    status: 200,
    sees: 'rosterFileRefused',
  },
  {
    name: 'a SharePoint address on another port',
    send: drops('roster.csv', () => 'https://contoso.sharepoint.com:8443/roster.csv'),
    status: 200,
    sees: 'rosterFileRefused',
  },
  {
    name: 'a file: address',
    send: drops('roster.csv', () => 'file:///etc/passwd'),
    status: 200,
    sees: 'rosterFileRefused',
  },
  {
    name: 'a download address that is no address',
    send: drops('roster.csv', () => 'not a url'),
    status: 200,
    sees: 'rosterDownloadFailed',
  },
  {
    name: 'a redirect to a foreign host',
    send: drops('roster.csv', (w) => `${w.odd}/away`),
    status: 200,
    sees: 'rosterFileRefused',
  },
  {
    name: 'a download that is gone (404)',
    send: drops('roster.csv', (w) => `${w.odd}/missing`),
    status: 200,
    sees: 'rosterDownloadFailed',
  },
  {
    name: 'a declared size of 50 MB',
    send: drops('roster.csv', (w) => `${w.odd}/big`),
    status: 200,
    sees: 'rosterFileProblem',
  },
  {
    name: 'a file of 11 MB',
    send: csv(`Name,E-mail,Department,Role\n${'x,'.repeat(5.5 * 1024 * 1024)}`),
    status: 200,
    sees: 'rosterFileProblem',
  },
];

const CSV_ROWS: Case[] = [
  { name: 'an empty file', send: csv(''), status: 200, sees: /The file is empty/ },
  { name: 'a header and no rows', send: rows(), status: 200, sees: /header but no employees/ },
  {
    name: 'no e-mail column',
    send: csv('Name;Department;Role\r\nAnna;Office;Clerk\r\n'),
    status: 200,
    sees: /Line 1:/,
  },
  {
    name: 'UTF-16 (Excel’s Unicode Text)',
    send: csv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name\tE-mail\r\n', 'utf16le')])),
    status: 200,
    sees: /UTF-16/,
  },
  {
    name: 'Latin-1, not UTF-8',
    send: csv(Buffer.from('Name;E-mail;Department;Role\r\nJosé;jose@contoso.example;Café;Chef\r\n', 'latin1')),
    status: 200,
    sees: /not UTF-8/,
  },
  {
    name: 'a PNG named .csv',
    send: csv(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xd8, 0x00])),
    status: 200,
    sees: /not UTF-8/,
  },
  {
    name: 'every e-mail invalid',
    send: rows('Anna;anna(at)contoso;Office;Clerk;', 'Bob;bob@;Office;Clerk;'),
    status: 200,
    sees: /Line 2: Email is not a valid e-mail address/,
  },
  {
    name: 'a name missing',
    send: rows(';anna@contoso.example;Office;Clerk;'),
    status: 200,
    sees: /Line 2: Name is missing/,
  },
  {
    name: 'an Entra object id that is no GUID',
    send: rows('Anna;anna@contoso.example;Office;Clerk;not-a-guid'),
    status: 200,
    sees: /Line 2: Entra object id is not a GUID/,
  },
  {
    name: 'a field over 200 characters',
    send: rows(`Anna;anna@contoso.example;${'Office'.repeat(40)};Clerk;`),
    status: 200,
    sees: /Line 2: Department is longer than 200/,
  },
  {
    name: 'too many fields',
    send: rows('Anna;anna@contoso.example;Office;Clerk;;extra;more'),
    status: 200,
    sees: /Line 2: It has 7 fields/,
  },
  {
    name: 'a quote never closed',
    send: rows('"Anna;anna@contoso.example;Office;Clerk;'),
    status: 200,
    sees: /Line 2:/,
  },
  {
    name: 'a quote inside a field on every row',
    send: rows('Anna "the boss";anna@contoso.example;Office;Clerk;', 'Bob "2";bob@contoso.example;Office;Clerk;'),
    status: 200,
    sees: /Line 3:/,
  },
  {
    name: 'the same e-mail twice, both rows bad',
    send: rows('Anna;anna@contoso.example;Office;Clerk;not-a-guid', 'Anne;ANNA@contoso.example;Office;Clerk;'),
    status: 200,
    sees: /Line 3: Email is the same as on line 2/,
  },
];

const DOWNLOADS: Case[] = [
  {
    name: 'a link with its signature changed',
    send: download((_w, real) => `${real.slice(0, -2)}${real.endsWith('AA') ? 'BB' : 'AA'}`),
    status: 403,
    sees: /not valid/,
  },
  {
    name: 'a link whose expiry was pushed back',
    send: download((_w, real) => {
      const [payload, signature] = real.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      const later = Buffer.from(JSON.stringify({ ...claims, e: Date.parse('2030-01-01') })).toString('base64url');
      return `${later}.${signature}`;
    }),
    status: 403,
    sees: /not valid/,
  },
  {
    name: 'an expired link',
    send: download((w) => linkFor(w, { expiresAt: Date.parse('2026-11-02T08:00:00Z') })),
    status: 410,
    sees: /expired/,
  },
  {
    name: 'a link for someone not HR',
    send: download((w) => linkFor(w, { userId: w.employee.aadObjectId })),
    status: 403,
    sees: /HR only/,
  },
  {
    name: 'a link for a kind of file there is not',
    send: download((w) => linkFor(w, { kind: 'payroll' })),
    status: 404,
    sees: /no download/,
  },
  {
    name: 'a link signed with another secret',
    send: download((w) => linkFor(w, {}, 'guessed-secret')),
    status: 403,
    sees: /not valid/,
  },
  { name: 'not a link', send: download(() => 'not-a-link'), status: 404, sees: /no download/ },
  {
    name: 'a token of 2,000 characters',
    send: download(() => `${'a'.repeat(2000)}.${'b'.repeat(43)}`),
    status: 404,
    sees: /./,
  },
  { name: 'a path out of the folder', send: download(() => '..%2F..%2Fpackage.json'), status: 404, sees: /./ },
  { name: 'POST to a download link', send: download((_w, real) => real, 'POST'), status: 405, sees: /./ },
];

const AUTH: Case[] = [
  { name: 'no Authorization header', send: withToken(() => undefined), status: 401, sees: NOTHING, auth: true },
  { name: 'garbage for a token', send: withToken(() => 'Bearer abc.def.ghi'), status: 401, sees: NOTHING, auth: true },
  {
    name: 'an unsigned token (alg none)',
    send: withToken((w) => `Bearer ${w.openId.sign(claims(w), { alg: 'none' })}`),
    status: 401,
    sees: NOTHING,
    auth: true,
  },
  {
    name: 'HS256 with the public key as secret',
    send: withToken((w) => `Bearer ${w.openId.sign(claims(w), { alg: 'HS256' })}`),
    status: 401,
    sees: NOTHING,
    auth: true,
  },
  {
    name: 'a token signed by another key',
    send: withToken((w) => `Bearer ${w.openId.sign(claims(w), { key: w.openId.stranger })}`),
    status: 401,
    sees: NOTHING,
    auth: true,
  },
  {
    name: 'an expired token',
    send: withToken((w) => `Bearer ${w.openId.sign(claims(w, { nbf: seconds() - 7200, exp: seconds() - 600 }))}`),
    status: 401,
    sees: NOTHING,
    auth: true,
  },
  {
    name: 'a token for another bot',
    send: withToken((w) => `Bearer ${w.openId.sign(claims(w, { aud: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' }))}`),
    status: 401,
    sees: NOTHING,
    auth: true,
  },
  {
    name: 'a token for another serviceUrl',
    send: withToken((w) => `Bearer ${w.openId.sign(claims(w, { serviceurl: 'https://attacker.example/' }))}`),
    status: 401,
    sees: NOTHING,
    auth: true,
  },
];

const TENANTS: Case[] = [
  {
    name: 'a message from another tenant',
    send: async (w) => outcome(await foreign(employee)(w).say('progress')),
    status: 403,
    sees: NOTHING,
  },
  {
    name: 'HR’s id from another tenant clicking an HR button',
    send: async (w) => outcome(await foreign(hr)(w).click('hrExport')),
    status: 403,
    sees: NOTHING,
  },
  {
    name: 'HR’s id from another tenant dropping a roster',
    send: async (w) =>
      outcome(
        await foreign(hr)(w).sendFile(
          'roster.csv',
          w.files.add('Name;E-mail;Department;Role\r\nMallory;m@evil.example;X;Y\r\n'),
        ),
      ),
    status: 403,
    sees: NOTHING,
  },
  {
    name: 'the organisation’s tenant in conversation, another in channelData',
    send: shaped((w) => ({
      channelData: { tenant: { id: FOREIGN_TENANT } },
      conversation: { id: w.employee.conversationId, conversationType: 'personal', tenantId: TENANT },
    })),
    status: 403,
    sees: NOTHING,
  },
  {
    name: 'no tenant at all',
    send: shaped((w) => ({
      channelData: {},
      conversation: { id: w.employee.conversationId, conversationType: 'personal' },
    })),
    status: 403,
    sees: NOTHING,
  },
  {
    name: '"contact here" by HR’s id from another tenant',
    send: async (w) => {
      const mention = w.contact.activity(`${CHANNEL};messageid=7`, {
        type: 'message',
        text: '<at>Postwise</at> contact here',
        entities: [
          { type: 'mention', text: '<at>Postwise</at>', mentioned: { id: '28:postwise-bot', name: 'Postwise' } },
        ],
      });
      return outcome(
        await w.h.post({
          ...mention,
          conversation: { ...(mention.conversation as object), tenantId: FOREIGN_TENANT },
          channelData: { channel: { id: '19:evil@thread.tacv2' }, tenant: { id: FOREIGN_TENANT } },
        }),
      );
    },
    status: 403,
    sees: NOTHING,
  },
];

const CATALOGUE: readonly (readonly [string, Case])[] = Object.entries({
  HTTP,
  SHAPE,
  SUBMITS,
  PROPERTY_NAMES,
  COMMANDS,
  FILES,
  CSV_ROWS,
  DOWNLOADS,
  AUTH,
  TENANTS,
}).flatMap(([group, cases]) => cases.map((c) => [group, c] as const));

// ---------------------------------------------------------------------------------------------
// The world and the checks

/** A file host that misbehaves: /big announces 50 MB, /away redirects off to the internet, the rest is 404. */
async function startOddHost(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
    } else if (req.url === '/away') {
      res.writeHead(302, { location: 'https://evil.example/roster.csv' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let world: World;
let odd: Server;
/** The store files as they were when the world was set up. */
let settled: Record<string, string>;
let pattern: (key: string) => RegExp;

async function setUp(): Promise<World> {
  const course = await loadCourse();
  const dir = await mkdtemp(path.join(tmpdir(), 'postwise-catalogue-'));
  const authDir = await mkdtemp(path.join(tmpdir(), 'postwise-catalogue-auth-'));
  const h = await startOnLowdb(dir, { clock, env: { POSTWISE_HR_USERS: HR_ID, POSTWISE_ALLOWED_TENANTS: TENANT } });
  const openId = await FakeOpenId.start();
  const auth = await startOnLowdb(authDir, {
    clock,
    env: {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      HOST: '127.0.0.1',
      POSTWISE_ALLOWED_TENANTS: TENANT,
      POSTWISE_OPENID_METADATA_URL: openId.metadataUrl,
    },
  });
  const files = await FileHost.start();
  const oddHost = await startOddHost();
  odd = oddHost.server;

  const hrUser = hrInChat(h);
  const contact = hrInChannel(h);
  const employeeUser = h.user({ name: 'Anna de Vries' });
  const finished = h.user({ name: 'Fatima El Amrani' });
  const asker = h.user({ name: 'Joost Bakker' });

  await contact.mention('contact here');
  const roster =
    `Name;E-mail;Department;Role;Entra object id\r\nAnna de ` +
    `Vries;anna@contoso.example;Office;Clerk;${employeeUser.aadObjectId}\r\n`;
  const preview = (await hrUser.sendFile('roster.csv', files.add(roster))).cards[0] as Record<string, unknown>;
  const upload = String((actionsOf(preview)[0]?.data as { upload: string }).upload);
  await hrUser.press(preview, 'hrRosterImport');
  const exportCard = (await hrUser.say('export')).cards[0] as Record<string, unknown>;
  const exportUrl = String((actionsOf(exportCard)[0] as { url: string }).url);

  const askCard = (await asker.say('ask')).cards[0] as Record<string, unknown>;
  const askRequest = String((actionsOf(askCard)[0]?.data as { request: string }).request);
  await asker.click('askSend', { request: askRequest, text: 'Answered?', category: 'policy', anonymous: 'no' });
  const thread = (await h.stores.tickets.get(1))?.thread?.conversationId ?? '';

  await employeeUser.say('start');
  const lesson = course.lessons[0]!;
  await employeeUser.click('open', { lesson: lesson.id });
  await employeeUser.click('answer', {
    question: lesson.questions[0]?.id,
    choice: lesson.questions[0]?.choices.find((c) => c.correct)?.id,
  });

  await completeCourseInStore(h.stores, course, finished.aadObjectId);
  await finished.say('help');
  await finished.click('inventory', { platforms: 'linkedin' });
  return {
    h,
    dir,
    auth,
    authDir,
    openId,
    course,
    employee: employeeUser,
    finished,
    hr: hrUser,
    contact,
    asker,
    askRequest,
    thread,
    upload,
    exportUrl,
    files,
    odd: oddHost.url,
  };
}

beforeAll(async () => {
  pattern = await uiPatterns('en');
  world = await setUp();
  settled = { ...(await filesUnder(world.dir)), ...(await filesUnder(world.authDir)) };
}, 30_000);

afterAll(async () => {
  await Promise.all([world.h.close(), world.auth.close(), world.files.close(), world.openId.close()]);
  odd.closeAllConnections();
  await new Promise((resolve) => odd.close(resolve));
  await Promise.all([world.dir, world.authDir].map((d) => rm(d, { recursive: true, force: true })));
});

/** The files that differ between two snapshots, each with what was appended to it or that it changed. */
function changes(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((file) => before[file] !== after[file])
    .map((file) => {
      const [was, is] = [before[file] ?? '', after[file] ?? ''];
      return `${file}: ${is.startsWith(was) ? `appended ${is.slice(was.length, was.length + 300)}` : 'changed'}`;
    });
}

/** Log lines that mean a request crashed rather than was refused. */
const CRASH = /"event":"(turn\.failed|turn\.error-reply-failed|http\.[\w-]+-failed)"/;

describe('the bad-input catalogue', () => {
  it('has at least 80 bad inputs', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(80);
  });

  it.each(CATALOGUE.map(([group, c]) => [group, c.name, c] as const))('%s: %s', async (_group, _name, c) => {
    const bot = c.auth ? world.auth : world.h;
    const dir = c.auth ? world.authDir : world.dir;
    const before = await filesUnder(dir);
    const logged = bot.log.lines.length;

    const result = await c.send(world);

    expect(result.status, JSON.stringify(result.body)?.slice(0, 300)).toBe(c.status);
    if (result.status >= 400 && result.body !== undefined && typeof result.body === 'object') {
      expect(result.body).toEqual({ code: expect.any(String), message: expect.any(String) });
    }
    if (c.sees === NOTHING) {
      expect(result.shown).toEqual([]);
    } else {
      const seen = result.shown.join('\n');
      const patterns =
        c.sees instanceof RegExp ? [c.sees] : (typeof c.sees === 'string' ? [c.sees] : c.sees).map(pattern);
      expect(
        patterns.some((p) => p.test(seen)),
        `shown: ${seen.slice(0, 400)}`,
      ).toBe(true);
      expect(seen).not.toMatch(pattern('error'));
    }
    // Replies only: no new chat or thread started, no card elsewhere changed.
    expect(result.calls.filter((call) => call.method === 'PUT' || call.parameters !== undefined)).toEqual([]);
    expect(bot.log.lines.slice(logged).filter((line) => CRASH.test(line))).toEqual([]);
    expect(changes(before, await filesUnder(dir))).toEqual([]);
  });

  it('left the stores as they were once everything was written', async () => {
    await Promise.all([world.h.app.close(), world.auth.app.close()]);
    expect(changes(settled, { ...(await filesUnder(world.dir)), ...(await filesUnder(world.authDir)) })).toEqual([]);
  });
});
