import { describe, expect, it } from 'vitest';
import { checkCues, cueItems, type RawLanguage } from '../../src/content/checks.js';
import { Problems } from '../../src/content/contentError.js';
import { describeHit, figure, scoreCues } from '../../src/content/cueScores.js';
import { CUE_WORDS } from '../../src/content/cueWords.js';
import { credit, GUESSERS, type CueQuestion } from '../../src/content/guessers.js';
import type { Ui } from '../../src/content/ui.js';
import type { Question } from '../../src/domain/course/course.js';

function question(choices: readonly string[], more: Partial<CueQuestion> = {}): CueQuestion {
  const contactName = 'the communications team';
  return { scenario: '', prompt: 'What do you do?', lesson: '', contactName, choices, ...more };
}

/** What the named guesser picks, by choice index. */
function picks(name: string, q: CueQuestion, language: 'en' | 'nl' = 'en'): readonly number[] {
  const guesser = GUESSERS.find((g) => g.name === name);
  if (!guesser) throw new Error(`no guesser "${name}"`);
  return guesser.pick(q, CUE_WORDS[language]);
}

describe('each guesser follows its own surface cue', () => {
  it('length: one guesser per rank, ties picked together', () => {
    const q = question(['Share it.', 'Share it with the team.', 'Share it with the whole team.', 'Share it now.']);
    expect(picks('longest', q)).toEqual([2]);
    expect(picks('second-longest', q)).toEqual([1]);
    expect(picks('third-longest', q)).toEqual([3]);
    expect(picks('shortest', q)).toEqual([0]);
    const tied = question(['Post it on Monday.', 'Post it on Friday.', 'Post it today.']);
    expect(picks('longest', tied)).toEqual([0, 1]);
    expect(picks('second-longest', tied)).toEqual([0, 1]);
    expect(picks('shortest', tied)).toEqual([2]);
  });

  it('fewest absolute words, matched as whole words in each language', () => {
    const en = question(['Always reply.', 'Reply when you know the facts.', 'Just ignore everyone.', 'Justify it.']);
    expect(picks('fewest absolute words', en)).toEqual([1, 3]);
    const nl = question(['Reageer gewoon altijd.', 'Zeg niets, hoe dan ook.', 'Reageer als je het weet.'], {});
    expect(picks('fewest absolute words', nl, 'nl')).toEqual([2]);
  });

  it('the cautious one when few choices hold back, every choice when many do', () => {
    const one = question(['Post it right away.', 'Wait until the news is out.', 'Share it in the group.', 'Tease it.']);
    expect(picks('the cautious one', one)).toEqual([1]);
    const two = question(['Post it right away.', 'Wait until the news is out.', 'Check the facts.', 'Tease it.']);
    expect(picks('the cautious one', two)).toEqual([0, 1, 2, 3]);
    const nl = question(['Zet het meteen online.', 'Wachten tot het nieuws uit is.', 'Deel het in de groep.']);
    expect(picks('the cautious one', nl, 'nl')).toEqual([1]);
  });

  it('the one that asks someone, with the contact name and a word between "let" and "know"', () => {
    const named = { contactName: 'Jo Visser' };
    const contact = question(['Post the photo.', 'Send it to Jo Visser.', 'Crop the photo.', 'Blur the badge.'], named);
    expect(picks('the one that asks someone', contact)).toEqual([1]);
    const gap = question(['Delete it quietly.', 'Let Sam and Kim know.', 'Edit it quietly.']);
    expect(picks('the one that asks someone', gap)).toEqual([1]);
    const nl = question(['Verwijder het stilletjes.', 'Laat het je teamleider even weten.', 'Pas het aan.']);
    expect(picks('the one that asks someone', nl, 'nl')).toEqual([1]);
  });

  it('the odd one out: another first word, another yes or no, the fewest shared words', () => {
    const first = question(['Post the photo.', 'Post a crop.', 'Post a blurred copy.', 'Crop the badge away.']);
    expect(picks('odd first word', first)).toEqual([3]);
    const noneOdd = question(['Post it.', 'Post a crop.', 'Crop it.', 'Blur it.']);
    expect(picks('odd first word', noneOdd)).toEqual([0, 1, 2, 3]);
    const polarity = question(['Yes, it is gone.', 'Yes, nobody saw it.', 'Not really: it may be copied.', 'Mostly.']);
    expect(picks('odd yes or no', polarity)).toEqual([2]);
    expect(picks('odd yes or no', question(['Ja.', 'Nee.', 'Niet per se.'], {}), 'nl')).toEqual([0]);
    const overlap = question(['Post the photo of the team.', 'Post the photo of the office.', 'Ask before sharing.']);
    expect(picks('least like the others', overlap)).toEqual([2]);
  });

  it('echoes: most content words shared with the question, or with the lesson', () => {
    const choices = ['Reply with the refund policy.', 'Thank the customer and move the talk to email.', 'Ignore it.'];
    const q = question(choices, {
      scenario: 'A customer complains about a refund under your post.',
      lesson: 'Move a complaint out of the public eye: thank the person and offer email.',
    });
    expect(picks('echoes the question most', q)).toEqual([0, 1]);
    expect(picks('echoes the lesson most', q)).toEqual([1]);
    expect(picks('echoes the question most', question(['a', 'b', 'c']))).toEqual([0, 1, 2]);
    expect(picks('echoes the question least', q)).toEqual([2]);
    expect(picks('echoes the lesson least', q)).toEqual([0, 2]);
  });

  it('the test-wise voter adds up the cues and picks the choice with the most', () => {
    const q = question(
      ['Just post it anyway.', 'Wait, and ask the communications team first.', 'Share it with everyone now.'],
      { lesson: 'When in doubt, ask the communications team first.' },
    );
    expect(picks('test-wise voter', q)).toEqual([1]);
    expect(picks('fewest cues', q)).toEqual([0]);
  });

  it('reads every cue the other way too: the choices a cue keeps away from', () => {
    const q = question(['Post the photo.', 'Post a crop.', 'Post a blurred copy.', 'Crop the badge away.']);
    expect(picks('not odd first word', q)).toEqual([0, 1, 2]);
    expect(picks('not odd first word', question(['Post it.', 'Crop it.', 'Blur it.']))).toEqual([0, 1, 2]);
    const waits = question(['Wait a day.', 'Post it now.', 'Share it tonight.']);
    expect(picks('not the cautious one', waits)).toEqual([1, 2]);
    const alike = question(['Post the photo of the team.', 'Post the photo of the office.', 'Ask before sharing.']);
    expect(picks('most like the others', alike)).toEqual([0, 1]);
    expect(picks('most absolute words', question(['Never post it.', 'Post it.', 'Always post it.']))).toEqual([0, 2]);
  });
});

describe('credit', () => {
  it('is the chance of breaking a tie at random, or nothing when the right one is not among the picks', () => {
    expect(credit([0, 2], 2)).toBe(0.5);
    expect(credit([0, 1, 2], 0)).toBeCloseTo(1 / 3);
    expect(credit([0, 2], 1)).toBe(0);
    const tied = question(['Post it on Monday.', 'Post it on Friday.', 'Post it today.', 'Wait.']);
    const scores = scoreCues([{ label: '01-x.json tie', question: tied, correct: 1 }], CUE_WORDS.en);
    const longest = scores.guessers.find((g) => g.name === 'longest');
    expect(longest?.score).toBe(0.5);
    expect(longest?.hits.map(describeHit)).toEqual(['01-x.json tie (1 of 2)']);
    expect(scores.chance).toBe(0.25);
  });

  it('is shown with one decimal, or two where one would not tell a score from the limit', () => {
    expect(figure(13.8333, 12.125)).toBe('13.8');
    expect(figure(12.1667, 12.125)).toBe('12.2');
    expect(figure(12.14, 12.125)).toBe('12.14');
    expect(figure(12.125, 12.125)).toBe('12.1');
  });
});

const EN_UI = { defaultOrg: 'our organisation', defaultContact: 'the communications team' } as Ui;

/** A made-up language: one lesson file per question, each right choice the second. */
function course(choices: (i: number) => readonly string[], count = 8): RawLanguage {
  const lessons = Array.from({ length: count }, (_, i) => {
    const q: Question = {
      id: `q${i + 1}`,
      covers: ['G1'],
      prompt: 'What do you do?',
      choices: choices(i).map((text, c) => ({ id: 'abcd'[c] ?? '', text, correct: c === 1, feedback: 'Because.' })),
    };
    const lesson = { id: `l${i + 1}`, revision: 1, title: 'T', covers: ['G1'], body: 'Body.', takeaway: 'Takeaway.' };
    const file = `0${i + 1}-made-up.json`;
    return { file, where: `content/en/lessons/${file}`, lesson: { ...lesson, questions: [q] } };
  });
  return { course: undefined, ui: EN_UI, lessons };
}

function problemsOf(language: RawLanguage): string[] {
  const problems = new Problems();
  checkCues('en', language, problems, 'content/en/lessons');
  return problems.list.map((p) => `${p.file}: ${p.field} ${p.problem}`);
}

describe('the rule: no guesser beats chance by more than 10 % of the questions', () => {
  it('fails a course whose right choices the cues point at, naming the guesser, the figures and the questions', () => {
    const cued = course(() => [
      'Just post it anyway.',
      'Hold off, and ask {contactName} what fits.',
      'Share it with everyone right now.',
      'Post it now: nobody minds at all.',
    ]);
    const problems = problemsOf(cued);
    const files = Array.from({ length: 8 }, (_, i) => `0${i + 1}-made-up.json q${i + 1}`).join(', ');
    expect(problems).toContain(
      'content/en/lessons: (all questions) give the answer away to the guesser "fewest absolute words": ' +
        'it scores 8.0 of 8 questions, more than chance (2.0) + 10 % = 2.8; ' +
        `its cue points to the right choice in: ${files}`,
    );
    expect(problems.join('\n')).toContain('to the guesser "the one that asks someone": it scores 8.0');
    expect(problems.join('\n')).toContain('to the guesser "the cautious one": it scores 8.0');
  });

  it('passes a course whose choices look alike, so no cue tells the right one', () => {
    const alike = course(() => ['Post it at one.', 'Post it at two.', 'Post it at six.', 'Post it at ten.']);
    expect(problemsOf(alike)).toEqual([]);
  });

  it("measures the choices with the language's default names filled in", () => {
    const [item] = cueItems(
      course(() => ['Tell {org}.', 'Tell a friend.', 'Tell Bo.'], 1),
      'content/en/lessons',
    );
    expect(item?.question.choices).toEqual(['Tell our organisation.', 'Tell a friend.', 'Tell Bo.']);
    expect(GUESSERS.find((g) => g.name === 'longest')?.pick(item?.question ?? question([]), CUE_WORDS.en)).toEqual([0]);
  });

  it("names the organisation's questions by their folder, the standard ones by file name", () => {
    const merged = course(() => ['Post it.', 'Ask first.', 'Share it.'], 2);
    const own = merged.lessons[1];
    if (own) own.where = 'acme/en/lessons/02-made-up.json';
    const labels = cueItems(merged, 'content/en/lessons').map((item) => item.label);
    expect(labels).toEqual(['01-made-up.json q1', 'acme/en/lessons/02-made-up.json q2']);
  });
});
