import { afterEach, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/domain/course/course.js';
import { memoryStores } from '../../src/storage/memory.js';
import { cardProblems, validCards } from '../support/cardSchema.js';
import { completeCourseInStore, loadCourse, rosterMember } from '../support/hrFixtures.js';
import { cardText, startHarness, type BotHarness } from '../support/harness.js';
import { HR_ID } from '../support/hrPeople.js';

const ANNA_ID = '0b6c1f7e-2a44-4d1b-9f3e-5c8a7d6e4b21';
let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TEXTS = {
  en: {
    language: 'language en',
    title: 'Refresher',
    ask: 'refresher',
    stop: 'stop refreshers',
    stopped: 'You will get no more refreshers.',
    wrong: 'Not quite.',
    right: 'Right!',
    coverage: 'coverage',
    retention: 'Retention: refreshers in the last 90 days',
    tooFew: 'Too few refresher answers yet: figures appear from 5 answers.',
    overall: /\d+% right on the first try: \d+ of 7 answers/,
    lesson: '80% right (5 answers)\nLessons with fewer than 5 answers are left out (2).',
  },
  nl: {
    language: 'taal nl',
    title: 'Even opfrissen',
    ask: 'herhaling',
    stop: 'stop herhalen',
    stopped: 'Je krijgt geen herhaalvragen meer.',
    wrong: 'Niet helemaal.',
    right: 'Goed!',
    coverage: 'dekking',
    retention: 'Wat blijft hangen: herhaalvragen van de afgelopen 90 dagen',
    tooFew: 'Nog te weinig antwoorden op herhaalvragen: cijfers verschijnen vanaf 5 antwoorden.',
    overall: /\d+% in één keer goed: \d+ van de 7 antwoorden/,
    lesson: '80% goed (5 antwoorden)\nLessen met minder dan 5 antwoorden zijn weggelaten (2).',
  },
} as const;

describe.each(LANGUAGES)('refreshers, in %s', (language) => {
  const texts = TEXTS[language];
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';

  it('come on Monday after completion, take one answer each, and stop when asked; HR sees retention', async () => {
    const course = await loadCourse();
    const stores = memoryStores();
    await stores.roster.put(rosterMember('Anna', { aad: ANNA_ID }));
    await completeCourseInStore(stores, course, ANNA_ID);
    let now = new Date('2026-11-07T10:00:00Z'); // Saturday
    h = await startHarness({ stores, clock: { now: () => new Date(now) }, env: { POSTWISE_HR_USERS: HR_ID } });
    const anna = Object.assign(h.user({ locale, name: 'Anna' }), { aadObjectId: ANNA_ID });
    const hr = Object.assign(h.user({ locale, name: 'Henk' }), { aadObjectId: HR_ID });
    await anna.say(texts.language);
    const scored = await stores.progress.get(ANNA_ID);
    const toAnna = () =>
      h?.connector.calls.filter(
        (c) =>
          c.conversationId === anna.conversationId &&
          c.method === 'POST' &&
          c.activity.attachments &&
          !c.activity.replyToId,
      ) ?? [];
    const before = toAnna().length;

    expect(await h.app.sendDueRefreshers()).toBe(0);
    now = new Date('2026-11-09T09:00:00Z'); // Monday 10:00 in Amsterdam
    expect(await h.app.sendDueRefreshers()).toBe(1);
    expect(await h.app.sendDueRefreshers()).toBe(0);
    await h.app.deliveriesIdle();
    const delivered = toAnna().slice(before);
    expect(delivered).toHaveLength(1);
    const card = (delivered[0]?.activity.attachments as { content: Record<string, unknown> }[])[0]?.content as Record<
      string,
      unknown
    >;
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain(texts.title);
    expect((await stores.deliveries.forSend('refresher:2026-11-09'))[0]?.state).toBe('sent');

    const choices =
      (card.body as { id?: string; choices?: { value: string }[] }[]).find((b) => b.id === 'choice')?.choices ?? [];
    const questionId = String((card.actions as { data: { question: string } }[])[0]?.data.question);
    const question = course.lessons.flatMap((l) => l.questions).find((q) => q.id === questionId);
    const wrong = question?.choices.find((c) => !c.correct)?.id ?? '';
    const right = question?.choices.find((c) => c.correct)?.id ?? '';
    expect(choices.map((c) => c.value).sort()).toEqual(question?.choices.map((c) => c.id).sort());

    const answered = validCards(await anna.press(card, 'refresherAnswer', { choice: wrong }));
    expect(cardText(answered.body.value)).toContain(texts.wrong);
    // The same card submitted again, with the other answer: the first one stands.
    const again = validCards(await anna.press(card, 'refresherAnswer', { choice: right }));
    expect(again.body.value).toEqual(answered.body.value);

    const asked = validCards(await anna.say(texts.ask));
    const next = asked.cards[0] as Record<string, unknown>;
    expect(cardText(next)).toContain(texts.title);
    const nextQuestion = course.lessons
      .flatMap((l) => l.questions)
      .find((q) => q.id === (next.actions as { data: { question: string } }[])[0]?.data.question);
    const rightNow = validCards(
      await anna.press(next, 'refresherAnswer', { choice: nextQuestion?.choices.find((c) => c.correct)?.id ?? '' }),
    );
    expect(cardText(rightNow.body.value)).toContain(texts.right);

    expect((await anna.say(texts.stop)).texts[0]).toContain(texts.stopped);
    now = new Date('2026-11-23T09:00:00Z');
    expect(await h.app.sendDueRefreshers()).toBe(0);
    expect(await stores.progress.get(ANNA_ID)).toEqual(scored);

    const coverage = cardText(validCards(await hr.say(texts.coverage)).cards[0]);
    expect(coverage).toContain(`${texts.retention}\n${texts.tooFew}`);
    const first = course.lessons[0];
    for (const correct of [true, true, true, true, false])
      await stores.refreshers.count('2026-11-20', first?.id ?? '', correct);
    const withFigures = cardText(validCards(await hr.say(texts.coverage)).cards[0]);
    expect(withFigures).toMatch(texts.overall);
    expect(withFigures).toContain(texts.lesson);
  });
});
