import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { ContentError } from '../../src/content/contentError.js';
import { loadContent, type Content } from '../../src/content/load.js';
import { fill } from '../../src/content/ui.js';
import { LANGUAGES, POLICY_IDS, type Question } from '../../src/domain/course/course.js';
import { CONTENT_DIR, DEFAULT_ORG } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';
import { runFingerprint, wordRuns } from '../support/wordRuns.js';

let content: Content;
beforeAll(async () => {
  content = await loadContent(CONTENT_DIR, DEFAULT_ORG);
});

describe('the shipped course', () => {
  it('teaches and tests every guideline G1–G20 and protocol item P1–P3', () => {
    const course = content.courses.en;
    const taught = new Set(course.lessons.flatMap((l) => l.covers));
    const tested = new Set(course.lessons.flatMap((l) => l.questions.flatMap((q) => q.covers)));
    expect(POLICY_IDS.filter((id) => !taught.has(id))).toEqual([]);
    expect(POLICY_IDS.filter((id) => !tested.has(id))).toEqual([]);
  });

  it('tests every policy id in at least one question of its own, so the understanding card can tell each apart', () => {
    const questions = content.courses.en.lessons.flatMap((l) => l.questions);
    const alone = new Set(questions.flatMap((q) => (q.covers.length === 1 ? q.covers : [])));
    expect(POLICY_IDS.filter((id) => !alone.has(id))).toEqual([]);
  });

  it('has the same structure in Dutch and English', () => {
    const shape = (language: 'en' | 'nl') =>
      content.courses[language].lessons.map((l) => ({
        id: l.id,
        covers: l.covers,
        questions: l.questions.map((q) => ({
          id: q.id,
          covers: q.covers,
          scenario: q.scenario !== undefined,
          choices: q.choices.map((c) => [c.id, c.correct]),
        })),
      }));
    expect(shape('nl')).toEqual(shape('en'));
    expect(content.courses.nl.version).toBe(content.courses.en.version);
  });

  it('has at least 10 lessons, 2 questions per lesson on average and 4 scenarios', () => {
    const { lessons } = content.courses.en;
    const questions = lessons.flatMap((l) => l.questions);
    expect(lessons.length).toBeGreaterThanOrEqual(10);
    expect(questions.length / lessons.length).toBeGreaterThanOrEqual(2);
    expect(questions.filter((q) => q.scenario !== undefined).length).toBeGreaterThanOrEqual(4);
  });

  it('gives the three themes a lesson of their own', () => {
    const titles = (language: 'en' | 'nl') => content.courses[language].lessons.map((l) => l.title.toLowerCase());
    const own = (language: 'en' | 'nl', id: string) =>
      content.courses[language].lessons.find((l) => l.covers[0] === id);
    expect(own('en', 'G11')?.title.toLowerCase()).toContain('party');
    expect(own('en', 'G12')?.title.toLowerCase()).toContain('internet never forgets');
    expect(own('en', 'G8')?.title.toLowerCase()).toContain('mistake');
    expect(titles('nl').some((t) => t.includes('feest'))).toBe(true);
    expect(titles('nl').some((t) => t.includes('het internet vergeet nooit'))).toBe(true);
  });

  it('is written in our own words: no run of eight words from the source articles', async () => {
    // Fingerprints of the articles' runs (npm run fingerprint regenerates them from the articles).
    const seeds = new Set(
      (await readFile(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'seed-fingerprint.txt'), 'utf8'))
        .split('\n')
        .filter(Boolean),
    );
    expect(seeds.size).toBeGreaterThan(1000);
    const copied = LANGUAGES.flatMap((language) =>
      wordRuns(JSON.stringify(content.courses[language])).filter((run) => seeds.has(runFingerprint(run))),
    );
    expect(copied).toEqual([]);
  });

  it('gives no answer away by length: in each language the right choice is the longest in at most a third of the questions, and never over 1.3 × the longest wrong one', () => {
    for (const language of LANGUAGES) {
      const questions = content.courses[language].lessons.flatMap((l) => l.questions);
      const lengths = questions.map((q) => ({
        right: q.choices.find((c) => c.correct)?.text.length ?? 0,
        wrong: Math.max(...q.choices.filter((c) => !c.correct).map((c) => c.text.length)),
      }));
      expect(questions.every((q) => q.choices.length >= 3 && q.choices.length <= 4)).toBe(true);
      expect(lengths.filter((l) => l.right >= l.wrong).length * 3).toBeLessThanOrEqual(questions.length);
      expect(Math.max(...lengths.map((l) => l.right / l.wrong))).toBeLessThanOrEqual(1.3);
    }
  });

  it('explains every choice in its feedback instead of opening with a verdict', () => {
    const verdict = /^(right|correct|yes|exactly|that's it|juist|goed|klopt|ja|precies|zo doe je het)[.!,:]/i;
    const opening = LANGUAGES.flatMap((language) =>
      content.courses[language].lessons.flatMap((l) => l.questions.flatMap((q) => q.choices.map((c) => c.feedback))),
    ).filter((feedback) => verdict.test(feedback));
    expect(opening).toEqual([]);
  });

  it("asks about situations rather than the lesson's own sentences, and tests G17, G18 and G20 each on their own", () => {
    const questions = new Map(
      content.courses.en.lessons.flatMap((l) => l.questions.map((q): [string, Question] => [q.id, q])),
    );
    for (const id of ['party-who-is-there', 'five-year-test', 'pause-check', 'police-chief'])
      expect(questions.get(id)?.scenario, id).toBeDefined();
    expect(questions.has('vacancy-post')).toBe(false);
    expect(['vacancy-honest', 'vacancy-value', 'vacancy-spelling'].map((id) => questions.get(id)?.covers)).toEqual([
      ['G17'],
      ['G18'],
      ['G20'],
    ]);
  });

  it("tells the police chief's case in the lesson on thinking first, as a removal from her position", () => {
    for (const language of LANGUAGES) {
      const lessonOf = (policyId: string) =>
        content.courses[language].lessons.filter((l) => l.covers.includes(policyId)).map((l) => l.id);
      expect(lessonOf('P3')).toEqual(['think-first']);
    }
    const thinkFirst = content.courses.en.lessons.find((l) => l.id === 'think-first');
    expect(thinkFirst?.body).toContain('removed from her position');
    expect(JSON.stringify(content.courses.en)).not.toMatch(/cost her the job|lost her (job|position)/);
  });

  it('has a warehouse scenario and a lesson on monitoring', () => {
    for (const language of LANGUAGES) {
      const scenarios = content.courses[language].lessons.flatMap((l) => l.questions.map((q) => q.scenario ?? ''));
      expect(scenarios.some((s) => /warehouse|magazijn/i.test(s))).toBe(true);
    }
    const monitoring = content.courses.en.lessons.find((l) => l.id === 'monitoring');
    expect(monitoring?.body).toMatch(/public/);
    expect(monitoring?.body).toMatch(/private accounts/);
    expect(monitoring?.body).toMatch(/free to speak/);
    expect(monitoring?.questions.map((q) => q.id)).toContain('platform-question');
  });

  it('counts its lessons in the welcome text, and keeps counting when a lesson is added', async () => {
    const count = content.courses.en.lessons.length;
    expect(content.courses.en.intro).toMatch(new RegExp(`^In ${count} short lessons`));
    expect(content.courses.nl.intro).toMatch(new RegExp(`^In ${count} korte lessen`));
    const dir = await copyContent();
    for (const language of LANGUAGES) {
      const lesson = JSON.parse(await readFile(path.join(dir, language, 'lessons', '01-why-everyone.json'), 'utf8'));
      lesson.id = 'one-more';
      lesson.questions.forEach((q: { id: string }) => (q.id = `one-more-${q.id}`));
      await writeFile(path.join(dir, language, 'lessons', '99-one-more.json'), JSON.stringify(lesson));
    }
    const more = await loadContent(dir, DEFAULT_ORG);
    expect(more.courses.en.intro).toMatch(new RegExp(`^In ${count + 1} short lessons`));
    expect(more.courses.nl.intro).toMatch(new RegExp(`^In ${count + 1} korte lessen`));
  });

  it('starts a sentence with a capital when a name fills its first word', () => {
    const sentenceStarts =
      /(?:^|[.!?]\s+|\n)(our organisation|the communications team|onze organisatie|het communicatieteam)/;
    const texts = LANGUAGES.flatMap((language) => {
      const course = content.courses[language];
      return [
        course.intro,
        ...course.summary,
        ...course.lessons.flatMap((l) => [
          l.body,
          l.takeaway,
          ...l.questions.flatMap((q) => [
            q.scenario ?? '',
            q.prompt,
            ...q.choices.flatMap((c) => [c.text, c.feedback]),
          ]),
        ]),
      ];
    });
    expect(texts.filter((t) => sentenceStarts.test(t))).toEqual([]);
    expect(
      content.courses.nl.lessons.find((l) => l.id === 'speaking-for-the-company')?.questions[1]?.choices[0]?.text,
    ).toBe('Onze organisatie aanraden en er in je antwoord meteen bij vermelden dat je er zelf werkt.');
    const values = { org: 'our organisation', contactEmail: 'help@example.com' };
    expect(fill('{org} has a policy. Ask {org}! "{org}?" asked {org}.', values)).toBe(
      'Our organisation has a policy. Ask our organisation! "Our organisation?" asked our organisation.',
    );
    expect(fill('Hi.\n\n**{org}** or {contactEmail}. {contactEmail}', values)).toBe(
      'Hi.\n\n**Our organisation** or help@example.com. help@example.com',
    );
    expect(fill('Ask {org}', values)).toBe('Ask our organisation');
  });

  it('spells "socialemediabeleid" one way and reads as Dutch, not as a translation', async () => {
    const dutch = [JSON.stringify(content.courses.nl), JSON.stringify(content.ui.nl)].join('\n');
    for (const phrase of [
      /social[ -]?media-?beleid/i,
      /social-mediabeleid/i,
      /Hier is waar/,
      /iemand gestoord/,
      /verbuig/,
      /trapleuning/,
      /jullie weten wie je bent/,
      /Pauzeer even/,
      /aan (ons|mij|jou) om te delen/,
      /herstel het, ga door/,
    ]) {
      expect(dutch).not.toMatch(phrase);
    }
    expect(dutch).toMatch(/socialemediabeleid/);
  });

  it('starts a sentence with a capital where a setting or the default wording starts it', async () => {
    expect(content.ui.en.campaignIntro).toMatch(/^Our organisation asks everyone/);
    expect(content.ui.nl.campaignIntro).toMatch(/^Onze organisatie vraagt iedereen/);
    expect(
      fill('{org} asks. {contactName} answers; write to {contactEmail}.', {
        org: 'our firm',
        contactName: 'the team',
        contactEmail: 'x@example.com',
      }),
    ).toBe('Our firm asks. The team answers; write to x@example.com.');
    expect(fill('{contactEmail} reads it', { contactEmail: 'socialmedia@example.com' })).toBe(
      'socialmedia@example.com reads it',
    );
    expect(fill('Ask {contactName}.', { contactName: 'the team' })).toBe('Ask the team.');
  });

  it("carries a version that keeps through a text edit and changes with a lesson's revision", async () => {
    const dir = await copyContent();
    await editLesson(dir, 'nl', 0, (l) => (l.takeaway = `${l.takeaway} Echt.`));
    const edited = await loadContent(dir, DEFAULT_ORG);
    expect(edited.version).toBe(content.version);
    expect(edited.courses.en.versionName).toBe(content.courses.en.versionName);
    // The lesson's text hash shows the edit; the other lessons' stay as they were.
    const changed = edited.lessonTexts.filter((t, i) => t.hash !== content.lessonTexts[i]?.hash).map((t) => t.id);
    expect(changed).toEqual([content.courses.en.lessons[0]?.id]);

    for (const language of LANGUAGES) await editLesson(dir, language, 0, (l) => (l.revision += 1));
    const raised = await loadContent(dir, DEFAULT_ORG);
    expect(raised.version).not.toBe(content.version);
    // The name people see changes too, though the policy's date stayed: a new version is never named like the old one.
    const published = content.courses.en.versionName.split(' #')[0];
    expect(raised.courses.en.versionName).toMatch(new RegExp(`^${published} #\\d{3}$`));
    expect(raised.courses.en.versionName).not.toBe(content.courses.en.versionName);
    expect(raised.courses.nl.versionName).toBe(raised.courses.en.versionName);
  });

  it('needs the same revision for a lesson in every language', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'nl', 0, (l) => (l.revision += 1));
    const revision = content.courses.en.lessons[0]?.revision ?? 0;
    expect(await problemsOf(dir)).toContain(
      `${file}: revision differs from en (${revision + 1} here, ${revision} in en)`,
    );
  });

  it('needs the policy date in every language, the same everywhere', async () => {
    const dir = await copyContent();
    const file = path.join(dir, 'nl', 'course.json');
    const course = JSON.parse(await readFile(file, 'utf8'));
    const { published } = JSON.parse(await readFile(path.join(dir, 'en', 'course.json'), 'utf8'));
    await writeFile(file, JSON.stringify({ ...course, published: '2025-01-02' }));
    expect(await problemsOf(dir)).toContain(
      `content/nl/course.json: published differs from en (2025-01-02 here, ${published} in en)`,
    );
    await writeFile(file, JSON.stringify({ ...course, published: '30-11-2026' }));
    expect(await problemsOf(dir)).toContain('must be a date like 2026-11-30');
  });
});

const tempDir = useTempDirs('content');

async function copyContent(): Promise<string> {
  const root = await tempDir();
  const dir = path.join(root, 'content');
  await cp(CONTENT_DIR, dir, { recursive: true });
  return dir;
}

async function editLesson(dir: string, language: string, index: number, edit: (lesson: any) => void): Promise<string> {
  const name = (await readdir(path.join(dir, language, 'lessons'))).sort()[index] as string;
  const file = path.join(dir, language, 'lessons', name);
  const lesson = JSON.parse(await readFile(file, 'utf8'));
  edit(lesson);
  await writeFile(file, JSON.stringify(lesson, null, 2));
  return `content/${language}/lessons/${name}`;
}

async function problemsOf(dir: string): Promise<string> {
  try {
    await loadContent(dir, DEFAULT_ORG);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return (error as Error).message;
  }
  throw new Error('content was accepted');
}

describe('a content mistake stops the start with the file and field named', () => {
  it('a missing translation', async () => {
    const dir = await copyContent();
    const name = (await readdir(path.join(dir, 'nl', 'lessons'))).sort()[2] as string;
    await rm(path.join(dir, 'nl', 'lessons', name));
    expect(await problemsOf(dir)).toContain(
      `content/nl/lessons/${name}: (file) is missing: en has it (missing translation)`,
    );
  });

  it('a missing interface text', async () => {
    const dir = await copyContent();
    const file = path.join(dir, 'nl', 'ui.json');
    const ui = JSON.parse(await readFile(file, 'utf8'));
    delete ui.check;
    await writeFile(file, JSON.stringify(ui));
    expect(await problemsOf(dir)).toContain('content/nl/ui.json: check is missing or empty');
  });

  it('a question without a correct choice', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 1, (l) => l.questions[0].choices.forEach((c: any) => (c.correct = false)));
    expect(await problemsOf(dir)).toContain(
      `${file}: questions[0].choices must have exactly one correct choice (has 0)`,
    );
  });

  it('a choice without feedback', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'nl', 3, (l) => delete l.questions[1].choices[2].feedback);
    expect(await problemsOf(dir)).toContain(`${file}: questions[1].choices[2].feedback is missing or empty`);
  });

  it('an unknown guideline id', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 0, (l) => (l.covers = ['G21']));
    expect(await problemsOf(dir)).toContain(`${file}: covers[0] is not a known policy id (got "G21"`);
  });

  it('a lesson over the length limit', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 4, (l) => (l.body = 'x'.repeat(1201)));
    expect(await problemsOf(dir)).toContain(`${file}: body is 1201 characters long; at most 1200 are allowed`);
  });

  it('a placeholder the bot cannot fill, and broken JSON', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 5, (l) => (l.takeaway = 'Ask {boss}.'));
    const broken = (await readdir(path.join(dir, 'nl', 'lessons'))).sort()[6] as string;
    await writeFile(path.join(dir, 'nl', 'lessons', broken), '{ "id": ');
    const message = await problemsOf(dir);
    expect(message).toContain(`${file}: takeaway uses an unknown placeholder {boss}`);
    expect(message).toContain(`content/nl/lessons/${broken}: (file) is not valid JSON`);
  });

  it('a right choice much longer than the wrong ones', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'nl', 8, (l) => {
      const right = l.questions[1].choices.find((c: { correct: boolean }) => c.correct);
      right.text = `${right.text} Dat is eerlijk, dat is positief, en het houdt je geloofwaardig.`;
    });
    expect(await problemsOf(dir)).toMatch(
      new RegExp(
        `${file}: questions\\[1\\]\\.choices give the answer away: the correct choice of "vacancy-honest" ` +
          `has \\d+ characters, more than 1\\.3 × its longest wrong choice`,
      ),
    );
  });

  it("a right choice much longer once {privacyContact} is filled with the contact's name", async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 5, (l) => {
      const question = l.questions.find((q: { id: string }) => q.id === 'warehouse-labels');
      for (const c of question.choices)
        c.text = c.correct ? `${'r'.repeat(60)} {privacyContact} {privacyContact}` : 'w'.repeat(80);
    });
    // 94 characters as written, within 1.3 × 80; 108 once it reads "the communications team" twice.
    expect(await problemsOf(dir)).toContain(
      `${file}: questions[1].choices give the answer away: the correct choice of "warehouse-labels" has 108 characters`,
    );
  });

  it('right choices that are the longest in more than a third of the questions', async () => {
    const dir = await copyContent();
    const names = (await readdir(path.join(dir, 'en', 'lessons'))).sort();
    // Measured as the start-up check measures: with the default names the placeholders get.
    const contact = 'the communications team';
    const sample = { org: 'our organisation', contactName: contact, privacyContact: contact };
    for (const [index] of names.entries()) {
      await editLesson(dir, 'en', index, (l) => {
        for (const q of l.questions) {
          const wrong = q.choices.filter((c: { correct: boolean }) => !c.correct);
          const longest = Math.max(...wrong.map((c: { text: string }) => fill(c.text, sample).length));
          const right = q.choices.find((c: { correct: boolean }) => c.correct);
          right.text = 'x'.repeat(longest + 1);
        }
      });
    }
    const message = await problemsOf(dir);
    expect(message).toMatch(
      /content\/en\/lessons: \(all questions\) give the answer away: the correct choice is the longest in \d+ of \d+ questions, at most a third \(\d+\) may be: 01-why-everyone\.json always-an-employee, /,
    );
    expect(message).toContain('09-quality.json vacancy-spelling');
    expect(message).not.toContain('content/nl/lessons: (all questions)');
  });

  it('a question with only two choices', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 3, (l) => l.questions[0].choices.splice(2));
    expect(await problemsOf(dir)).toContain(`${file}: questions[0].choices must have 3 to 4 entries (has 2)`);
  });

  it('a translation whose right answer differs', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'nl', 0, (l) => {
      for (const c of l.questions[0].choices)
        c.correct = !c.correct && c.id === l.questions[0].choices.find((x: any) => !x.correct).id;
    });
    expect(await problemsOf(dir)).toContain(`${file}: questions[0].choices differs from en`);
  });
});
