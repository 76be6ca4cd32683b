import type { QuestionPlace } from '../domain/course/course.js';
import type { RefresherAnswer } from '../domain/refreshers/refresher.js';
import type { RefresherQuestion } from '../domain/refreshers/refresherService.js';
import { MIN_ANSWERS, type Retention } from '../domain/refreshers/retention.js';
import type { LanguagePack } from './languagePack.js';
import type { CardJson } from './templates.js';

/** The same place in the language of `pack` (places are found in the reference language). */
function localised(
  pack: LanguagePack,
  place: QuestionPlace,
): { lesson: QuestionPlace['lesson']; question: QuestionPlace['question'] } {
  const lesson = pack.course.lessons[place.lessonIndex];
  const question = lesson?.questions[place.questionIndex];
  if (!lesson || !question) throw new Error(`No question at ${place.lessonIndex}/${place.questionIndex}`);
  return { lesson, question };
}

/** A refresher: one question from the course, its choices reshuffled. */
export function refresherCard(pack: LanguagePack, refresher: RefresherQuestion): CardJson {
  const { lesson, question } = localised(pack, refresher.place);
  return pack.render('refresher', {
    refresher: String(refresher.n),
    questionId: question.id,
    lesson: lesson.title,
    scenario: question.scenario ?? null,
    prompt: question.prompt,
    choices: refresher.order.flatMap((id) =>
      question.choices.filter((c) => c.id === id).map((c) => ({ id: c.id, text: c.text })),
    ),
  });
}

/** What a refresher answer was: right or not, why, and the lesson's key point. */
export function refresherResultCard(pack: LanguagePack, place: QuestionPlace, answer: RefresherAnswer): CardJson {
  const { lesson, question } = localised(pack, place);
  return pack.render('refresherResult', {
    prompt: question.prompt,
    ...pack.verdict(question, answer),
    lesson: lesson.title,
    takeaway: lesson.takeaway,
  });
}

const percent = (correct: number, answered: number) => Math.round((correct / answered) * 100);

/** The retention part of HR's coverage card: overall and per lesson, each only from MIN_ANSWERS answers. */
export function retentionData(
  pack: LanguagePack,
  retention: Retention,
): { retentionLine: string; retentionLessons: { title: string; value: string }[]; retentionWithheld: string | null } {
  const enough = retention.answered >= MIN_ANSWERS;
  return {
    retentionLine: enough
      ? pack.text('retentionOverall', {
          percent: percent(retention.correct, retention.answered),
          correct: retention.correct,
          answered: retention.answered,
        })
      : pack.text('retentionTooFew', { count: MIN_ANSWERS }),
    retentionLessons: enough
      ? retention.lessons.map((l) => ({
          title: pack.course.lessons.find((lesson) => lesson.id === l.lessonId)?.title ?? l.lessonId,
          value: pack.text('retentionLesson', { percent: percent(l.correct, l.answered), answered: l.answered }),
        }))
      : [],
    retentionWithheld:
      enough && retention.withheld > 0
        ? pack.text('retentionWithheld', { count: MIN_ANSWERS, number: retention.withheld })
        : null,
  };
}
