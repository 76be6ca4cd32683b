import { execFile } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { GUESSERS } from '../../src/content/guessers.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('cues-cli');

interface Run {
  readonly code: number;
  readonly stdout: string;
}

/** Runs scripts/cues.ts through tsx, as `npm run cues -- …` does, on the content folder `dir`. */
function cues(dir: string, args: readonly string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, POSTWISE_CONTENT_DIR: dir };
  delete env.POSTWISE_ORG_CONTENT;
  const argv = ['--import', 'tsx', 'scripts/cues.ts', ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: PROJECT_ROOT, env }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout });
    });
  });
}

/** A copy of the shipped content whose every question gets these choices (the second one right). */
async function contentWithChoices(texts: readonly string[]): Promise<string> {
  const dir = path.join(await tempDir(), 'content');
  await cp(path.join(PROJECT_ROOT, 'content'), dir, { recursive: true });
  for (const language of ['en', 'nl']) {
    const lessons = path.join(dir, language, 'lessons');
    for (const name of await readdir(lessons)) {
      const lesson = JSON.parse(await readFile(path.join(lessons, name), 'utf8'));
      for (const q of lesson.questions) {
        q.choices = texts.map((text, i) => ({ id: 'abcd'[i], text, correct: i === 1, feedback: 'Because.' }));
      }
      await writeFile(path.join(lessons, name), JSON.stringify(lesson));
    }
  }
  return dir;
}

describe('npm run cues', () => {
  it('shows every guesser at chance and exits 0 when the choices give nothing away', async () => {
    const dir = await contentWithChoices(['Post it at one.', 'Post it at two.', 'Post it at six.', 'Post it at ten.']);
    const run = await cues(dir, []);
    expect(run.code).toBe(0);
    const chance = /^nl: \d+ questions, chance (\d+\.\d), limit \d+\.\d$/m.exec(run.stdout)?.[1];
    const scores = [...run.stdout.matchAll(/^ {2}[a-z -]+?\s+(\d+\.\d)$/gm)].map((m) => m[1]);
    expect(scores).toHaveLength(2 * GUESSERS.length);
    expect(new Set(scores)).toEqual(new Set([chance]));
    expect(run.stdout).not.toContain('OVER');
  });

  it('marks the guessers over the limit, lists what each finds with --questions, and exits 1', async () => {
    const dir = await contentWithChoices([
      'Just post it anyway.',
      'Hold off, and ask {contactName} what fits.',
      'Share it with everyone right now.',
      'Post it now: nobody minds at all.',
    ]);
    const run = await cues(dir, ['--questions']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}fewest absolute words\s+\d+\.0 {2}OVER$/m);
    const first = /^ {2}01-why-everyone\.json always-an-employee: (.*)$/m.exec(run.stdout)?.[1];
    expect(first).toContain('fewest absolute words, the cautious one, the one that asks someone');
  });

  it('refuses an unknown argument', async () => {
    expect((await cues(path.join(PROJECT_ROOT, 'content'), ['--qestions'])).code).toBe(2);
  });
});
