import type { Course } from '../domain/course/course.js';
import { MIN_ITEM_ANSWERERS, type ItemStatistics } from '../domain/items/itemAnalysis.js';
import type { LanguagePack } from './languagePack.js';
import { plain } from './contactCards.js';
import type { CardJson } from './templates.js';

/** Longest question prompt, lesson title and choice text on the statistics card: 40 questions stay under 40 KB. */
const PROMPT = 80;
const LESSON = 40;
const CHOICE = 45;
/** Choices named in a flag, shorter still. */
const FLAGGED = 30;

const UNUSED = 'unused-distractor:';

function cut(text: string, length: number): string {
  return plain(text.length > length ? `${text.slice(0, length - 1)}…` : text);
}

/** HR's "Question statistics" card: every question weakest first, with its figures or how many answered. */
export function itemsCard(pack: LanguagePack, statistics: readonly ItemStatistics[]): CardJson {
  const t = pack.text.bind(pack);
  const course = pack.course;
  const decimal = (n: number) => (pack.language === 'nl' ? n.toFixed(2).replace('.', ',') : n.toFixed(2));
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return pack.render('hrItems', {
    intro: t('itemsIntro', { count: MIN_ITEM_ANSWERERS }),
    questions: statistics.map((s) => {
      const { lesson, question } = place(course, s);
      const at = { lesson: cut(lesson?.title ?? s.lessonId, LESSON), people: s.answerers };
      const prompt = cut(question?.prompt ?? s.id, PROMPT);
      const f = s.figures;
      if (!f) return { prompt, line: t('itemsTooFew', { ...at, count: MIN_ITEM_ANSWERERS }), choices: [], flags: null };
      const text = (id: string, length = CHOICE) => cut(question?.choices.find((c) => c.id === id)?.text ?? id, length);
      const quoted = (id: string) => `“${text(id, FLAGGED)}”`;
      const discrimination = f.discrimination === null ? t('itemsNotMeasurable') : decimal(f.discrimination);
      const unused = f.flags.filter((n) => n.startsWith(UNUSED)).map((n) => n.slice(UNUSED.length));
      const flags = [
        ...(f.flags.includes('easy') ? [t('itemsEasy')] : []),
        ...(f.flags.includes('no-discrimination') ? [t('itemsNoDiscrimination')] : []),
        ...(unused.length > 0 ? [t('itemsUnusedDistractor', { answer: unused.map(quoted).join(', ') })] : []),
      ];
      return {
        prompt,
        line: t('itemsLine', { ...at, percent: Math.round(f.facility * 100), discrimination }),
        choices: f.choices.map((c) => ({
          share: percent(c.share),
          text: c.correct ? t('itemsRightChoice', { answer: text(c.id) }) : text(c.id),
        })),
        flags: flags.length > 0 ? flags.join(' ') : null,
      };
    }),
  });
}

function place(course: Course, s: ItemStatistics) {
  const lesson = course.lessons.find((l) => l.id === s.lessonId);
  return { lesson, question: lesson?.questions.find((q) => q.id === s.id) };
}
