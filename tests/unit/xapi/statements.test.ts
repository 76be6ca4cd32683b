import { describe, expect, it } from 'vitest';
import type { CourseEvent } from '../../../src/domain/course/events.js';
import { entriesOfEvent, entryOfRefresher } from '../../../src/domain/xapi/outboxEntry.js';
import { statementId } from '../../../src/domain/xapi/statementId.js';
import { statementOf, VERBS, type StatementContext } from '../../../src/domain/xapi/statements.js';
import { validateStatement } from '../../support/fakeLrs.js';
import { shippedContent } from '../../support/shippedContent.js';
import { TENANT } from '../../support/tenants.js';

const USER = '0b6f3c1e-2d4a-4e8f-9a1b-3c5d7e9f1a2b';
const HOME = `https://login.microsoftonline.com/${TENANT}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function setting(): Promise<{ context: StatementContext; events: CourseEvent[]; version: string }> {
  const content = await shippedContent();
  const course = content.courses.en;
  const question = course.lessons[0]?.questions[0];
  if (!question) throw new Error('no first question');
  const wrong = question.choices.find((c) => !c.correct)?.id ?? '';
  const right = question.choices.find((c) => c.correct)?.id ?? '';
  const base = { userId: USER, version: course.version };
  const events: CourseEvent[] = [
    {
      ...base,
      id: `${USER}/answered/${question.id}`,
      type: 'answered',
      at: '2026-11-02T09:01:00.000Z',
      questionId: question.id,
      choiceId: wrong,
      correct: false,
    },
    {
      ...base,
      id: `${USER}/reviewed/${question.id}/1`,
      type: 'reviewed',
      at: '2026-11-02T09:02:00.000Z',
      questionId: question.id,
      choiceId: right,
      correct: true,
      attempt: 1,
    },
    {
      ...base,
      id: `${USER}/completed/${course.version}`,
      type: 'completed',
      at: '2026-11-02T09:03:00.000Z',
      correct: 17,
      total: 20,
    },
    {
      ...base,
      id: `${USER}/acknowledged/${course.version}`,
      type: 'acknowledged',
      at: '2026-11-02T09:04:00.000Z',
      correct: 17,
      total: 20,
    },
  ];
  return { context: { courses: content.courses, homePage: HOME }, events, version: course.version };
}

describe('xAPI statements', () => {
  it('every kind Postwise makes passes Learning Locker validation, with stable UUID ids and an account actor', async () => {
    const { context, events, version } = await setting();
    const entries = [
      ...events.flatMap((e) => entriesOfEvent(e)),
      entryOfRefresher(
        USER,
        { n: 3, questionId: 'L01-Q1', choiceId: 'a', correct: true, at: '2026-12-01T10:00:00.000Z' },
        version,
      ),
    ];
    const statements = entries.map((entry) => statementOf(USER, entry, context));
    expect(statements.map((s) => (s.verb as { id: string }).id)).toEqual([
      VERBS.answered,
      VERBS.answered,
      VERBS.completed,
      VERBS.passed,
      VERBS.acknowledged,
      VERBS.answered,
    ]);
    for (const statement of statements) {
      expect(validateStatement(statement)).toEqual([]);
      expect(statement.id).toMatch(UUID);
      expect(statement.actor).toEqual({ objectType: 'Agent', account: { homePage: HOME, name: USER } });
      expect(JSON.stringify(statement)).not.toContain('@');
    }
    expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length);
    // The validation refuses what is wrong: an actor with two identifiers, an id that is no UUID.
    expect(validateStatement({ ...statements[0], id: 'answer-1', actor: { mbox: 'anna' } }).length).toBe(2);
    // The same event always gives the same statement: a retry is harmless.
    expect(events.flatMap((e) => entriesOfEvent(e)).map((e) => statementOf(USER, e, context))).toEqual(
      statements.slice(0, 5),
    );
    expect(statements[0]?.id).toBe(statementId(events[0]?.id ?? ''));
  });

  it('an answer is a choice interaction with its choices, the right one, success and response', async () => {
    const { context, events } = await setting();
    const [first] = entriesOfEvent(events[0] as CourseEvent);
    const statement = statementOf(USER, first!, context) as Record<string, any>;
    const question = context.courses.en.lessons[0]!.questions[0]!;
    expect(statement.object.definition).toMatchObject({
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'choice',
      correctResponsesPattern: question.choices.filter((c) => c.correct).map((c) => c.id),
    });
    expect(statement.object.definition.choices.map((c: { id: string }) => c.id)).toEqual(
      question.choices.map((c) => c.id),
    );
    expect(statement.object.definition.choices[0].description).toEqual({
      en: question.choices[0]?.text,
      nl: context.courses.nl.lessons[0]?.questions[0]?.choices[0]?.text,
    });
    expect(statement.result).toEqual({ success: false, response: (events[0] as { choiceId: string }).choiceId });
    expect(statement.context.contextActivities.category).toEqual([
      { objectType: 'Activity', id: 'urn:postwise:attempt:first-try' },
    ]);
  });

  it('completed and passed carry the first-try score; the acknowledgement names the policy version', async () => {
    const { context, events, version } = await setting();
    const [completed, passed] = entriesOfEvent(events[2] as CourseEvent).map((e) => statementOf(USER, e, context));
    expect((completed as any).result).toEqual({ completion: true, score: { scaled: 0.85, raw: 17, min: 0, max: 20 } });
    expect((passed as any).result).toMatchObject({ success: true, score: { scaled: 0.85 } });
    const [ack] = entriesOfEvent(events[3] as CourseEvent).map((e) => statementOf(USER, e, context));
    expect((ack as any).object.id).toBe(`urn:postwise:policy:${version}`);
    expect((ack as any).context.revision).toBe(version);
  });

  it('with the e-mail option the actor is the mailbox, and it still validates', async () => {
    const { context, events } = await setting();
    const [entry] = entriesOfEvent(events[0] as CourseEvent, 'anna@contoso.example');
    const statement = statementOf(USER, entry!, context);
    expect(statement.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:anna@contoso.example' });
    expect(validateStatement(statement)).toEqual([]);
  });
});
