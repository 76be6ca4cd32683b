import type { Assignment } from '../src/domain/campaigns/assignment.js';
import type { Course } from '../src/domain/course/course.js';
import type { Answer, Progress } from '../src/domain/course/progress.js';
import type { Member } from '../src/domain/roster/roster.js';
import { coursePath, pickChoice, seededRandom } from './coursePath.js';

/** First names by how their first letters spread over a Western roster, so e-mail keys do too. */
const FIRST = [
  'anna',
  'ahmed',
  'bram',
  'bea',
  'carlos',
  'chloe',
  'daan',
  'diana',
  'emma',
  'finn',
  'george',
  'hanna',
  'isabel',
  'jan',
  'julia',
  'kim',
  'karin',
  'lucas',
  'lisa',
  'mark',
  'maria',
  'mohamed',
  'noah',
  'olivia',
  'peter',
  'priya',
  'roos',
  'robert',
  'sara',
  'sven',
  'sophie',
  'tom',
  'tess',
  'umar',
  'vera',
  'willem',
  'xander',
  'yara',
  'zoe',
];
const DEPARTMENTS = ['Sales', 'Finance', 'IT', 'HR', 'Legal', 'Operations', 'Marketing', 'Support', 'R&D', ''];
const ROLES = ['Engineer', 'Analyst', 'Team lead', 'Consultant', 'Operator', 'Account manager', 'Secretary', ''];
const NOW = Date.parse('2026-11-20T12:00:00Z');

/** The records of one seeded person: always a roster member, mostly progress and an assignment. */
export interface SeededPerson {
  readonly member: Member;
  readonly progress?: Progress;
  readonly assignment?: Assignment;
}

/**
 * `count` people as an organisation's stores would hold them: e-mail keys and random Entra object
 * ids (spread over the key ranges as real ones are), departments and roles, 30 % not started,
 * 30 % part-way through the course, 40 % done; 90 % reached by a campaign. Made one at a time.
 */
export function* seededPeople(course: Course, count: number): Generator<SeededPerson> {
  const random = seededRandom(20261120);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const hex = (digits: number) => Array.from({ length: digits }, () => pick([...'0123456789abcdef'])).join('');
  const path = coursePath(course);
  for (let i = 0; i < count; i++) {
    const key = `${pick(FIRST)}.${i.toString(36)}@contoso.example`;
    const aadObjectId = `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
    const member: Member = {
      key,
      name: key.slice(0, key.indexOf('@')),
      email: key,
      department: pick(DEPARTMENTS),
      role: pick(ROLES),
      aadObjectId,
      active: random() >= 0.03,
      source: 'csv',
      updatedAt: new Date(NOW).toISOString(),
    };
    const r = random();
    const steps = r < 0.3 ? 0 : r < 0.6 ? 1 + Math.floor(random() * (path.length - 1)) : path.length;
    const assignment: Assignment | undefined =
      random() < 0.9
        ? { key, campaignId: 'c1', due: '2026-11-10', reach: { ok: random() >= 0.03, at: '2026-11-01' } }
        : undefined;
    yield {
      member,
      ...(steps > 0 ? { progress: progressAfter(course, aadObjectId, steps, random) } : {}),
      ...(assignment ? { assignment } : {}),
    };
  }
}

function progressAfter(course: Course, userId: string, stepsDone: number, random: () => number): Progress {
  const lessonsOpened: string[] = [];
  const answers: Record<string, Answer> = {};
  const acknowledgements: Progress['acknowledgements'][number][] = [];
  let at = NOW - 20 * 86_400_000 + Math.floor(random() * 15 * 86_400_000);
  const next = () => new Date((at += 30_000 + Math.floor(random() * 120_000))).toISOString();
  for (const step of coursePath(course).slice(0, stepsDone)) {
    if (step.kind === 'open') lessonsOpened.push(step.lessonId);
    else if (step.kind === 'answer') {
      const choiceId = pickChoice(step, random);
      const correct = choiceId === step.correctChoice;
      answers[step.questionId] = {
        questionId: step.questionId,
        choiceId,
        correct,
        at: next(),
        version: course.version,
      };
    } else {
      const values = Object.values(answers);
      const correct = values.filter((a) => a.correct).length;
      acknowledgements.push({ version: course.version, at: next(), correct, total: values.length });
    }
  }
  return { userId, lessonsOpened, answers, acknowledgements, lastActivityAt: new Date(at).toISOString() };
}
