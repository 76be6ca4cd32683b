import { departmentKey } from '../domain/roster/departmentKeys.js';
import { MIN_ANSWERERS, type Understanding } from '../domain/understanding/understandingService.js';
import type { LanguagePack } from './languagePack.js';
import { DEPARTMENT_CHOICES, short } from './hrCards.js';
import { plain } from './contactCards.js';
import type { CardJson } from './templates.js';

/** The understanding filter's value for every department. */
export const ALL_DEPARTMENTS = 'all';
/** Longest guideline label on the understanding card (its id and the first lesson that tests it). */
const GUIDELINE_LABEL = 40;

/** HR's "Understanding by guideline" card: first-try correct rate per policy id, with a department filter. */
export function understandingCard(pack: LanguagePack, understanding: Understanding, notice?: string): CardJson {
  const t = pack.text.bind(pack);
  const lessons = pack.course.lessons;
  const label = (id: string) => {
    const lesson = lessons.find((l) => l.questions.some((q) => q.covers.includes(id)));
    const text = lesson ? `${id} · ${lesson.title}` : id;
    return plain(text.length > GUIDELINE_LABEL ? `${text.slice(0, GUIDELINE_LABEL - 1)}…` : text);
  };
  const { department } = understanding;
  return pack.render('hrUnderstanding', {
    scope:
      department === undefined ? t('understandingEveryone') : t('understandingDepartment', { name: short(department) }),
    notice: notice ?? null,
    tooFew: understanding.enough ? null : t('understandingTooFew', { count: MIN_ANSWERERS }),
    guidelines: understanding.guidelines.map((g) => {
      const percent = Math.round((g.correct / g.answered) * 100);
      return {
        id: g.id,
        label: label(g.id),
        percent,
        line: t('understandingRow', { percent, correct: g.correct, answered: g.answered, people: g.people }),
      };
    }),
    withheld:
      understanding.enough && understanding.withheld.length > 0
        ? t('understandingWithheld', { names: understanding.withheld.join(', '), count: MIN_ANSWERERS })
        : null,
    chosen: department === undefined ? ALL_DEPARTMENTS : departmentKey(department),
    departments: [
      { title: t('understandingAll'), value: ALL_DEPARTMENTS },
      ...understanding.departments
        .slice(0, DEPARTMENT_CHOICES)
        .map((d) => ({ title: short(d.name), value: departmentKey(d.name) })),
    ],
  });
}
