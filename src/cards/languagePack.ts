import type { Content } from '../content/load.js';
import { fill, type Ui, type UiKey } from '../content/ui.js';
import type { CourseState } from '../domain/course/courseService.js';
import { LANGUAGES, type Course, type Language, type Question, type QuestionPlace } from '../domain/course/course.js';
import type { Acknowledgement, Answer, Step } from '../domain/course/progress.js';
import type { CardJson, CardName, CardTemplates } from './templates.js';

/**
 * One language's texts and card templates, and the course's own cards in it: every other view
 * (contact, HR, refreshers) builds its cards through a pack.
 */
export class LanguagePack {
  /** Cards that depend only on the content, built once: they are sent over and over. */
  private readonly built = new Map<string, CardJson>();

  constructor(
    private readonly templates: CardTemplates,
    readonly course: Course,
    private readonly ui: Ui,
    private readonly policyUrl: string,
    private readonly timeZone: string,
  ) {}

  get language(): Language {
    return this.course.language;
  }

  text(key: UiKey, values: Record<string, string | number> = {}): string {
    return fill(this.ui[key], values);
  }

  welcome(): CardJson {
    const c = this.course;
    return this.once('welcome', () =>
      this.render('welcome', {
        title: this.text('welcomeTitle', { course: c.title }),
        intro: c.intro,
        everyone: this.text('welcomeEveryone'),
        length: this.text('welcomeLength', { lessons: c.lessons.length, minutes: c.minutes }),
      }),
    );
  }

  /** The first-time welcome, or for someone who has begun: welcome back, with where they are. */
  greeting(state: CourseState): CardJson {
    if (state.progress.lessonsOpened.length === 0) return this.welcome();
    const done = state.step.kind === 'complete';
    return this.render('welcomeBack', {
      intro: this.text(done ? 'welcomeBackDone' : 'welcomeBackIntro', { course: this.course.title }),
      ...this.standing(state),
      done,
    });
  }

  /** For someone who acknowledged an earlier version: what changed, then the first changed lesson; none otherwise. */
  whatChanged(state: CourseState): CardJson[] {
    if (state.whatChanged.length === 0) return [];
    const lessons = state.whatChanged.map((changed) => ({
      title: this.course.lessons.find((l) => l.id === changed.id)?.title ?? changed.title,
    }));
    const intro = this.text('whatChangedIntro', { version: this.course.versionName });
    return [this.render('whatChanged', { intro, lessons }), this.step(state.step)];
  }

  lesson(lessonIndex: number): CardJson {
    const lesson = this.course.lessons[lessonIndex];
    if (!lesson) throw new Error(`No lesson at ${lessonIndex}`);
    return this.once(`lesson/${lesson.id}`, () =>
      this.render('lesson', {
        lessonId: lesson.id,
        position: this.text('lessonOf', { n: lessonIndex + 1, total: this.course.lessons.length }),
        title: lesson.title,
        image: lesson.image ?? null,
        paragraphs: lesson.body
          .split(/\n{2,}/)
          .map((p) => p.trim())
          .filter((p) => p !== ''),
        takeaway: lesson.takeaway,
        toQuestions: this.text(lesson.questions.length === 1 ? 'toQuestion' : 'toQuestions'),
      }),
    );
  }

  /** A question with its choices in `order` (choice ids, as the employee's step gives them). */
  question(place: QuestionPlace, order: readonly string[]): CardJson {
    const { question } = this.localise(place);
    return this.once(`question/${question.id}/${order.join('/')}`, () =>
      this.render('question', {
        questionId: question.id,
        position: this.position(place),
        scenario: question.scenario ?? null,
        prompt: question.prompt,
        choices: ordered(question, order),
      }),
    );
  }

  /** A question missed on the first try, again: the lesson's takeaway, then the question reshuffled. */
  review(step: Extract<Step, { kind: 'review' }>): CardJson {
    const { lesson, question } = this.localise(step);
    return this.render('review', {
      questionId: question.id,
      attempt: String(step.attempt),
      position: this.text('reviewLeft', { count: step.left }),
      lesson: lesson.title,
      takeaway: lesson.takeaway,
      scenario: question.scenario ?? null,
      prompt: question.prompt,
      choices: ordered(question, step.order),
    });
  }

  result(place: QuestionPlace, answer: Answer): CardJson {
    const { question } = this.localise(place);
    return this.once(`result/${question.id}/${answer.choiceId}`, () =>
      this.render('result', {
        position: this.position(place),
        prompt: question.prompt,
        ...this.verdict(question, answer),
      }),
    );
  }

  /**
   * The verdict on a chosen answer, as a result card shows it: what was chosen and why, and the better answer and why.
   */
  verdict(question: Question, answer: Pick<Answer, 'choiceId' | 'correct'>): Record<string, string | boolean> {
    const chosen = question.choices.find((c) => c.id === answer.choiceId);
    const right = question.choices.find((c) => c.correct);
    return {
      correct: answer.correct,
      verdict: this.text(answer.correct ? 'right' : 'notQuite'),
      chosen: this.text('youChose', { answer: chosen?.text ?? answer.choiceId }),
      feedback: chosen?.feedback ?? '',
      rightAnswer: this.text('rightAnswer', { answer: right?.text ?? '' }),
      rightFeedback: right?.feedback ?? '',
    };
  }

  acknowledge(): CardJson {
    return this.once('acknowledge', () =>
      this.render('acknowledge', {
        summary: this.course.summary,
        statement: this.text('ackStatement', { version: this.course.versionName }),
        required: this.text('ackRequired'),
        version: this.course.version,
        policyUrl: this.policyUrl,
      }),
    );
  }

  completion(ack: Acknowledgement): CardJson {
    return this.render('completion', {
      date: longDate(ack.at, this.language, this.timeZone),
      score: this.text('scoreValue', { correct: ack.correct, total: ack.total }),
      version: ack.version === this.course.version ? this.course.versionName : ack.version,
      policyUrl: this.policyUrl,
    });
  }

  progress(state: CourseState): CardJson {
    return this.render('progress', { ...this.standing(state), done: state.step.kind === 'complete' });
  }

  help(notice?: string): CardJson {
    const lines: UiKey[] = [
      'helpStart',
      'helpContinue',
      'helpProgress',
      'helpAsk',
      'helpReport',
      'helpFaq',
      'helpRefresher',
      'helpLanguage',
      'helpHelp',
    ];
    return this.render('help', { notice: notice ?? null, lines: lines.map((k) => this.text(k)) });
  }

  /** The card for where the employee is in the course. */
  step(step: Step): CardJson {
    switch (step.kind) {
      case 'lesson':
        return this.lesson(step.lessonIndex);
      case 'question':
        return this.question(step, step.order);
      case 'review':
        return this.review(step);
      case 'acknowledge':
        return this.acknowledge();
      case 'complete':
        return this.completion(step.acknowledgement);
    }
  }

  /**
   * Lessons done, answers right, questions to review and what is next, as the progress and welcome-back cards show
   * them.
   */
  private standing(state: CourseState): { lessons: string; score: string; reviews: string | null; next: string } {
    const { score } = state;
    return {
      lessons: this.text('lessonsValue', { done: state.lessonsDone, total: this.course.lessons.length }),
      score:
        score.answered === score.total
          ? this.text('answeredAllValue', { correct: score.correct, total: score.total })
          : this.text('answeredValue', { ...score, left: score.total - score.answered }),
      reviews: state.reviewsLeft > 0 && state.step.kind !== 'complete' ? String(state.reviewsLeft) : null,
      next: this.describe(state.step, state.progress.lessonsOpened.length === 0),
    };
  }

  private describe(step: Step, notStarted: boolean): string {
    switch (step.kind) {
      case 'lesson': {
        const lesson = this.course.lessons[step.lessonIndex];
        const position = this.text('lessonOf', { n: step.lessonIndex + 1, total: this.course.lessons.length });
        const where = `${position}: ${lesson?.title ?? ''}`;
        return notStarted ? `${this.text('progressNotStarted')} ${where}` : where;
      }
      case 'question':
        return this.position(step);
      case 'review':
        return this.text('progressReview', { count: step.left });
      case 'acknowledge':
        return this.text('progressAcknowledge');
      case 'complete':
        return this.text('progressDone');
    }
  }

  private position(place: QuestionPlace): string {
    const lesson = this.course.lessons[place.lessonIndex];
    return this.text('questionOf', {
      lesson: lesson?.title ?? '',
      n: place.questionIndex + 1,
      total: lesson?.questions.length ?? 0,
    });
  }

  /** The same place in this language's course (places are found in the reference language). */
  private localise(place: QuestionPlace): QuestionPlace {
    const lesson = this.course.lessons[place.lessonIndex];
    const question = lesson?.questions[place.questionIndex];
    if (!lesson || !question) throw new Error(`No question at ${place.lessonIndex}/${place.questionIndex}`);
    return { ...place, lesson, question };
  }

  private once(key: string, build: () => CardJson): CardJson {
    let card = this.built.get(key);
    if (!card) {
      card = build();
      this.built.set(key, card);
    }
    return card;
  }

  /** Fills a template with data and this language's interface texts. */
  render(name: CardName, data: object): CardJson {
    return this.templates.render(name, { ...data, t: this.ui });
  }
}

/** The question's choices, localised, in the given order of choice ids. */
function ordered(question: Question, order: readonly string[]): { id: string; text: string }[] {
  return order.flatMap((id) => {
    const choice = question.choices.find((c) => c.id === id);
    return choice ? [{ id: choice.id, text: choice.text }] : [];
  });
}

/** An instant as a date written out in the language, in the time zone (not the Teams client's locale). */
export function longDate(iso: string, language: Language, timeZone: string): string {
  const options = { timeZone, day: 'numeric', month: 'long', year: 'numeric' } as const;
  const format = new Intl.DateTimeFormat(LOCALES[language], options);
  return format.format(new Date(iso));
}

const LOCALES: Readonly<Record<Language, string>> = { en: 'en-GB', nl: 'nl-NL' };

/** A pack for every language; dates are written in `timeZone` (the organisation's). */
export function languagePacks(
  templates: CardTemplates,
  content: Content,
  policyUrl: string,
  timeZone = 'UTC',
): Readonly<Record<Language, LanguagePack>> {
  return Object.fromEntries(
    LANGUAGES.map((l) => [l, new LanguagePack(templates, content.courses[l], content.ui[l], policyUrl, timeZone)]),
  ) as Record<Language, LanguagePack>;
}
