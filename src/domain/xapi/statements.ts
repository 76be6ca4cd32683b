import { findQuestion, type Course, type Language, type Question } from '../course/course.js';
import type { XapiEntry } from './outboxEntry.js';

/** Where Postwise's own verb and activity IRIs start (URNs: no web address needs to stay up for them). */
export const SCHEME = 'urn:postwise:';
const ADL = 'http://adlnet.gov/expapi/';

/** The verbs Postwise uses: ADL's where it has one, Postwise's own for the acknowledgement. */
export const VERBS = {
  answered: `${ADL}verbs/answered`,
  completed: `${ADL}verbs/completed`,
  passed: `${ADL}verbs/passed`,
  acknowledged: `${SCHEME}verb:acknowledged`,
} as const;

/** Where a statement's actor and texts come from. */
export interface StatementContext {
  /** The course per language, for names and choices. */
  readonly courses: Readonly<Record<Language, Course>>;
  /** The tenant's sign-in address, the account's homePage: https://login.microsoftonline.com/<tenant id>. */
  readonly homePage: string;
}

/** An xAPI 1.0.3 statement, as JSON. */
export type Statement = Readonly<Record<string, unknown>>;

type LanguageMap = Record<string, string>;

/** The xAPI statement an outbox entry of `userId` stands for; the same entry always gives the same statement. */
export function statementOf(userId: string, entry: XapiEntry, context: StatementContext): Statement {
  const actor =
    entry.email === undefined
      ? { objectType: 'Agent', account: { homePage: context.homePage, name: userId } }
      : { objectType: 'Agent', mbox: `mailto:${entry.email}` };
  const verb = { id: VERBS[entry.kind], display: { en: entry.kind } };
  const common = { id: entry.id, actor, verb, timestamp: entry.at };
  const course = courseActivity(context.courses);
  const revision = entry.version;
  switch (entry.kind) {
    case 'answered':
      return {
        ...common,
        object: questionActivity(context.courses, entry.questionId),
        result: { success: entry.correct, response: entry.choiceId },
        context: {
          revision,
          contextActivities: { parent: [course], category: [attemptCategory(entry.attempt)] },
        },
      };
    case 'completed':
    case 'passed': {
      const score = { scaled: entry.total === 0 ? 1 : entry.correct / entry.total, raw: entry.correct, min: 0 };
      const result = { completion: true, ...(entry.kind === 'passed' ? { success: true } : {}) };
      return {
        ...common,
        object: course,
        result: { ...result, score: { ...score, max: entry.total } },
        context: { revision },
      };
    }
    case 'acknowledged':
      return {
        ...common,
        object: {
          objectType: 'Activity',
          id: `${SCHEME}policy:${entry.version}`,
          definition: { type: `${SCHEME}activitytype:policy`, name: names(context.courses, (c) => c.title) },
        },
        context: { revision, contextActivities: { parent: [course] } },
      };
  }
}

function courseActivity(courses: Readonly<Record<Language, Course>>) {
  return {
    objectType: 'Activity',
    id: `${SCHEME}course`,
    definition: { type: `${ADL}activities/course`, name: names(courses, (c) => c.title) },
  };
}

/** The question as a cmi.interaction of type choice, with its choices and the right ones. */
function questionActivity(courses: Readonly<Record<Language, Course>>, questionId: string) {
  const id = `${SCHEME}question:${questionId}`;
  const question = (course: Course): Question | undefined => findQuestion(course, questionId)?.question;
  const reference = question(courses.en);
  if (!reference) return { objectType: 'Activity', id };
  const choices = reference.choices.map((choice) => ({
    id: choice.id,
    description: names(courses, (c) => question(c)?.choices.find((o) => o.id === choice.id)?.text),
  }));
  return {
    objectType: 'Activity',
    id,
    definition: {
      type: `${ADL}activities/cmi.interaction`,
      name: names(courses, (c) => question(c)?.prompt),
      interactionType: 'choice',
      correctResponsesPattern: reference.choices.filter((c) => c.correct).map((c) => c.id),
      choices,
    },
  };
}

/** Tells a first try, a review attempt and a refresher apart: a category activity per kind. */
function attemptCategory(attempt: 'first-try' | 'review' | 'refresher') {
  return { objectType: 'Activity', id: `${SCHEME}attempt:${attempt}` };
}

/** A language map from each language's course; languages without the text are left out. */
function names(courses: Readonly<Record<Language, Course>>, pick: (course: Course) => string | undefined): LanguageMap {
  const map: LanguageMap = {};
  for (const [language, course] of Object.entries(courses)) {
    const text = pick(course);
    if (text !== undefined && text !== '') map[language] = text;
  }
  return map;
}
