import { afterEach, describe, expect, it } from 'vitest';
import type { Question } from '../../src/domain/course/course.js';
import { entriesOfEvent } from '../../src/domain/xapi/outboxEntry.js';
import { VERBS } from '../../src/domain/xapi/statements.js';
import { cardProblems } from '../support/cardSchema.js';
import { rosterMember } from '../support/hrFixtures.js';
import { FakeLrs } from '../support/fakeLrs.js';
import { startHarness, type BotHarness, type HttpResult, type TestUser } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';
import { TENANT } from '../support/tenants.js';

let h: BotHarness | undefined;
let lrs: FakeLrs | undefined;
afterEach(async () => {
  await h?.close();
  await lrs?.close();
  h = lrs = undefined;
});

function only(result: HttpResult): Record<string, unknown> {
  expect(result.cards).toHaveLength(1);
  const card = result.cards[0] as Record<string, unknown>;
  expect(cardProblems(card)).toEqual([]);
  return card;
}

const right = (q: Question) => q.choices.find((c) => c.correct)?.id ?? '';
const wrong = (q: Question) => q.choices.find((c) => !c.correct)?.id ?? '';

async function startWithLrs(env: Record<string, string> = {}): Promise<{ h: BotHarness; lrs: FakeLrs }> {
  lrs = await FakeLrs.start();
  h = await startHarness({
    env: {
      POSTWISE_ALLOWED_TENANTS: TENANT,
      POSTWISE_XAPI_ENDPOINT: lrs.endpoint,
      POSTWISE_XAPI_KEY: lrs.key,
      POSTWISE_XAPI_SECRET: lrs.secret,
      ...env,
    },
  });
  return { h, lrs };
}

/** Walks the course through the protocol: the first question wrong, then right in its review; acknowledges. */
async function walkCourse(user: TestUser): Promise<void> {
  const course = (await shippedContent()).courses.en;
  let card = only(await user.say('start'));
  for (const [l, lesson] of course.lessons.entries()) {
    card = only(await user.press(card, 'open'));
    for (const [q, question] of lesson.questions.entries()) {
      const result = await user.press(card, 'answer', {
        choice: l === 0 && q === 0 ? wrong(question) : right(question),
      });
      card = only(await user.press(result.body.value, 'next'));
    }
  }
  const first = course.lessons[0]?.questions[0] as Question;
  const review = await user.press(card, 'answer', { choice: right(first) });
  card = only(await user.press(review.body.value, 'next'));
  await user.press(card, 'acknowledge', { agree: 'yes' });
}

/** The statement ids the person's events make, in the order of the event log. */
async function expectedIds(bot: BotHarness, userId: string): Promise<string[]> {
  return (await bot.stores.events.list({ userId })).flatMap((e) => entriesOfEvent(e)).map((e) => e.id);
}

describe('learning records to a learning record store (xAPI)', () => {
  it('a person walks the course: the LRS receives every answer, review, completion and acknowledgement in order', async () => {
    const { h, lrs } = await startWithLrs();
    const course = (await shippedContent()).courses.en;
    const questions = course.lessons.flatMap((l) => l.questions);
    const anna = h.user();
    await walkCourse(anna);
    await h.app.xapiIdle();

    const held = lrs.of(anna.aadObjectId);
    expect(held.map((s) => s.id)).toEqual(await expectedIds(h, anna.aadObjectId));
    expect(held.map((s) => s.verb.id)).toEqual([
      ...questions.map(() => VERBS.answered),
      VERBS.answered,
      VERBS.completed,
      VERBS.passed,
      VERBS.acknowledged,
    ]);
    expect(held[0]?.result).toEqual({ success: false, response: wrong(questions[0] as Question) });
    expect(held[questions.length]?.context.contextActivities.category[0].id).toBe('urn:postwise:attempt:review');
    const scaled = (questions.length - 1) / questions.length;
    expect(held.at(-2)?.result).toEqual({
      completion: true,
      success: true,
      score: { scaled, raw: questions.length - 1, min: 0, max: questions.length },
    });
    expect(held.at(-1)?.object.id).toBe(`urn:postwise:policy:${course.version}`);
    expect(lrs.invalid).toEqual([]);
    expect(lrs.differing).toBe(0);
    expect(new Set(held.map((s) => JSON.stringify(s.actor)))).toEqual(
      new Set([
        JSON.stringify({
          objectType: 'Agent',
          account: { homePage: `https://login.microsoftonline.com/${TENANT}`, name: anna.aadObjectId },
        }),
      ]),
    );
    expect(await h.stores.xapiOutbox.waiting()).toEqual([]);

    // A refresher answer after completion follows, as an answer in the refresher category.
    const refresher = only(await anna.say('refresher'));
    const questionId = String((refresher.actions as { data: { question: string } }[])[0]?.data.question);
    const question = questions.find((q) => q.id === questionId) as Question;
    await anna.press(refresher, 'refresherAnswer', { choice: right(question) });
    await anna.press(refresher, 'refresherAnswer', { choice: wrong(question) });
    await h.app.xapiIdle();
    const last = lrs.of(anna.aadObjectId).slice(held.length);
    expect(last).toHaveLength(1);
    expect(last[0]?.object.id).toBe(`urn:postwise:question:${questionId}`);
    expect(last[0]?.result).toEqual({ success: true, response: right(question) });
    expect(last[0]?.context.contextActivities.category[0].id).toBe('urn:postwise:attempt:refresher');
    expect(lrs.invalid).toEqual([]);
  });

  it('an LRS outage (503 with Retry-After) holds statements back; afterwards each arrives once, in order', async () => {
    const { h, lrs } = await startWithLrs();
    lrs.mode = { kind: 'busy', retryAfter: 1 };
    const people = [h.user({ name: 'Anna' }), h.user({ name: 'Bram' })];
    const course = (await shippedContent()).courses.en;
    const lesson = course.lessons[0];
    for (const person of people) {
      await person.click('open', { lesson: lesson?.id });
      for (const question of lesson?.questions ?? [])
        await person.click('answer', { question: question.id, choice: right(question) });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lrs.held).toEqual([]);
    expect(lrs.requests.some((r) => r.status === 503)).toBe(true);
    expect((await h.stores.xapiOutbox.waiting()).sort()).toEqual(people.map((p) => p.aadObjectId).sort());
    lrs.mode = { kind: 'normal' };
    await h.app.xapiIdle();
    for (const person of people) {
      expect(lrs.of(person.aadObjectId).map((s) => s.id)).toEqual(await expectedIds(h, person.aadObjectId));
    }
    expect(lrs.held.length).toBe(new Set(lrs.held.map((s) => s.id)).size);
    expect(h.log.lines.join('\n')).not.toContain('busy');
  });

  it('with POSTWISE_XAPI_ACTOR=email the actor is the roster’s e-mail address; someone not on it stays an account', async () => {
    const { h, lrs } = await startWithLrs({ POSTWISE_XAPI_ACTOR: 'email' });
    const [anna, bram] = [h.user({ name: 'Anna' }), h.user({ name: 'Bram' })];
    await h.stores.roster.put(rosterMember('Anna', { aad: anna.aadObjectId }));
    const course = (await shippedContent()).courses.en;
    const question = course.lessons[0]?.questions[0] as Question;
    for (const person of [anna, bram]) {
      await person.click('open', { lesson: course.lessons[0]?.id });
      await person.click('answer', { question: question.id, choice: right(question) });
    }
    await h.app.xapiIdle();
    expect(lrs.held.map((s) => s.statement.actor)).toEqual([
      { objectType: 'Agent', mbox: 'mailto:anna@contoso.example' },
      {
        objectType: 'Agent',
        account: { homePage: `https://login.microsoftonline.com/${TENANT}`, name: bram.aadObjectId },
      },
    ]);
    expect(lrs.invalid).toEqual([]);
  });

  it('is off without the settings: nothing goes into the outbox', async () => {
    h = await startHarness({ env: { POSTWISE_ALLOWED_TENANTS: TENANT } });
    const anna = h.user();
    const course = (await shippedContent()).courses.en;
    const question = course.lessons[0]?.questions[0] as Question;
    await anna.click('open', { lesson: course.lessons[0]?.id });
    await anna.click('answer', { question: question.id, choice: right(question) });
    expect(await h.stores.events.list({ userId: anna.aadObjectId })).toHaveLength(1);
    expect(await h.stores.xapiOutbox.get(anna.aadObjectId)).toBeUndefined();
    expect(await h.stores.xapiOutbox.waiting()).toEqual([]);
  });
});
