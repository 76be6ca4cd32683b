import type { Course } from '../domain/course/course.js';
import { MIN_ITEM_ANSWERERS, type ItemFlag, type ItemStatistics } from '../domain/items/itemAnalysis.js';
import type { CourseCards } from './courseCards.js';
import { plain } from './questionCards.js';
import type { CardJson } from './templates.js';

/** Longest question prompt, lesson title and choice text on the statistics card: 40 questions stay under 40 KB. */
const PROMPT = 90;
const LESSON = 40;
const CHOICE = 45;

const UNUSED = 'unused-distractor:';

function cut(text: string, length: number): string {
  return plain(text.length > length ? `${text.slice(0, length - 1)}…` : text);
}

/** HR's "Question statistics" card: every question weakest first, with its figures or how many answered. */
export function itemsCard(cards: CourseCards, statistics: readonly ItemStatistics[]): CardJson {
  const t = cards.text.bind(cards);
  const course = cards.course;
  const decimal = (n: number) => (course.language === 'nl' ? n.toFixed(2).replace('.', ',') : n.toFixed(2));
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return cards.render('hrItems', {
    intro: t('itemsIntro', { count: MIN_ITEM_ANSWERERS }),
    questions: statistics.map((s) => {
      const { lesson, question } = place(course, s);
      const at = { lesson: cut(lesson?.title ?? s.lessonId, LESSON), people: s.answerers };
      const prompt = cut(question?.prompt ?? s.id, PROMPT);
      const f = s.figures;
      if (!f) return { prompt, line: t('itemsTooFew', { ...at, count: MIN_ITEM_ANSWERERS }), choices: [], flags: null };
      const text = (id: string) => cut(question?.choices.find((c) => c.id === id)?.text ?? id, CHOICE);
      const discrimination = f.discrimination === null ? t('itemsNotMeasurable') : decimal(f.discrimination);
      const flag = (name: ItemFlag) =>
        name === 'easy'
          ? t('itemsEasy')
          : name === 'no-discrimination'
            ? t('itemsNoDiscrimination')
            : t('itemsUnusedDistractor', { answer: text(name.slice(UNUSED.length)) });
      return {
        prompt,
        line: t('itemsLine', { ...at, percent: Math.round(f.facility * 100), discrimination }),
        choices: f.choices.map((c) => ({
          share: percent(c.share),
          text: c.correct ? t('itemsRightChoice', { answer: text(c.id) }) : text(c.id),
        })),
        flags: f.flags.length > 0 ? f.flags.map(flag).join(' ') : null,
      };
    }),
  });
}

function place(course: Course, s: ItemStatistics) {
  const lesson = course.lessons.find((l) => l.id === s.lessonId);
  return { lesson, question: lesson?.questions.find((q) => q.id === s.id) };
}
