/**
 * `npm run cues [-- --questions] [--org folder]`: how far test-wise guessers, reading only each
 * question and its choices, get in each language, against chance and the limit the start-up check
 * allows. Exits 1 when a guesser is over the limit.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { cueItems } from '../src/content/checks.js';
import { Problems } from '../src/content/contentError.js';
import { describeHit, figure, scoreCues, type CueScores } from '../src/content/cueScores.js';
import { CUE_WORDS } from '../src/content/cueWords.js';
import { readRawContent } from '../src/content/load.js';
import { LANGUAGES } from '../src/domain/course/course.js';

const USAGE = `Usage: npm run cues [-- --questions] [--org folder]

  --questions     Also list, per question, the guessers whose cue points to its right choice.
  --org folder    Judge the course merged with an organisation's folder
                  (default: POSTWISE_ORG_CONTENT, if set).

Judges content/, or the folder POSTWISE_CONTENT_DIR names.

A guesser may score at most chance + 10 % of the questions (see content/README.md).`;

function table(language: string, scores: CueScores): string {
  const width = Math.max(...scores.guessers.map((g) => g.name.length));
  const lines = [
    `${language}: ${scores.questions} questions, chance ${figure(scores.chance)}, limit ${figure(scores.limit)}`,
    ...scores.guessers.map((g) => {
      const verdict = g.score > scores.limit + 1e-9 ? '  OVER' : '';
      return `  ${g.name.padEnd(width)}  ${figure(g.score, scores.limit).padStart(5)}${verdict}`;
    }),
  ];
  return lines.join('\n');
}

function byQuestion(scores: CueScores, labels: readonly string[]): string {
  return labels
    .map((label) => {
      const found = scores.guessers.flatMap((g) => {
        const hit = g.hits.find((h) => h.label === label);
        return hit ? [describeHit({ label: g.name, among: hit.among })] : [];
      });
      return `  ${label}: ${found.length === 0 ? '-' : found.join(', ')}`;
    })
    .join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  let questions = false;
  let orgDir = process.env.POSTWISE_ORG_CONTENT || undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--questions') questions = true;
    else if (arg === '--org' && args[i + 1] !== undefined) orgDir = path.resolve(args[(i += 1)] as string);
    else {
      console.error(arg === '--help' || arg === '-h' ? USAGE : `Unknown argument '${arg}'.\n\n${USAGE}`);
      return 2;
    }
  }
  const problems = new Problems();
  const dir = path.resolve(process.env.POSTWISE_CONTENT_DIR || path.join(PROJECT_ROOT, 'content'));
  const raw = await readRawContent(dir, orgDir, problems);
  for (const p of problems.list) console.error(`  ${p.file}: ${p.field} ${p.problem}`);
  let over = false;
  for (const language of LANGUAGES) {
    const items = cueItems(raw[language], `${path.basename(dir)}/${language}/lessons`);
    const scores = scoreCues(items, CUE_WORDS[language]);
    over ||= scores.guessers.some((g) => g.score > scores.limit + 1e-9);
    console.log(table(language, scores));
    if (questions)
      console.log(
        `\n${byQuestion(
          scores,
          items.map((item) => item.label),
        )}`,
      );
    console.log('');
  }
  return over ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
