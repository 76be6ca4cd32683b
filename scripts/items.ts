/**
 * `npm run items [-- --json]`: item analysis of the course's questions from everyone's first
 * tries (facility, discrimination, the share of each choice, flags), as a table or as JSON.
 */
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { MIN_ITEM_ANSWERERS, type ItemStatistics } from '../src/domain/items/itemAnalysis.js';
import { ItemService } from '../src/domain/items/itemService.js';
import { openExistingStores, runScript } from './storeScript.js';

const USAGE = `Usage: npm run items [-- --json]

  Prints, per question of the course, weakest first: how many people's first try counts
  (answerers), the share right (facility), the discrimination (correlation with the rest of
  the first-try score), the share of each choice (* marks the right one) and flags: easy
  (facility over 0.9), no-discrimination (under 0.2), unused-distractor:<choice> (a wrong
  choice under 5 %). A question fewer than ${MIN_ITEM_ANSWERERS} people answered shows no figures.

  --json   One JSON array: per question id, lesson, answerers, facility, discrimination,
           choices ({id, share, correct}) and flags; figures are null below ${MIN_ITEM_ANSWERERS} answerers.

Reads the store at POSTWISE_DATA_FILE (default data/postwise.json) with the bot STOPPED, or
Azure Tables when POSTWISE_STORE is azure-tables (the bot may run).`;

const round = (n: number) => Math.round(n * 1000) / 1000;

/** One question as the JSON output has it. */
function asJson(s: ItemStatistics, choiceIds: readonly string[], correct: readonly boolean[]) {
  const f = s.figures;
  return {
    id: s.id,
    lesson: s.lessonId,
    answerers: s.answerers,
    facility: f ? round(f.facility) : null,
    discrimination: f && f.discrimination !== null ? round(f.discrimination) : null,
    choices: f
      ? f.choices.map((c) => ({ id: c.id, share: round(c.share), correct: c.correct }))
      : choiceIds.map((id, i) => ({ id, share: null, correct: correct[i] === true })),
    flags: f ? f.flags : ['too-few-answers'],
  };
}

function table(rows: readonly ReturnType<typeof asJson>[]): string {
  const percent = (n: number | null) => (n === null ? '' : `${Math.round(n * 100)}%`);
  const lines = rows.map((r) => [
    r.id,
    r.lesson,
    String(r.answerers),
    r.facility === null ? 'too few answers' : percent(r.facility),
    r.facility === null ? '' : r.discrimination === null ? 'n/a' : r.discrimination.toFixed(3),
    r.facility === null ? '' : r.choices.map((c) => `${c.id}${c.correct ? '*' : ''} ${percent(c.share)}`).join(', '),
    r.facility === null ? '' : r.flags.join(' '),
  ]);
  const head = ['question', 'lesson', 'answerers', 'facility', 'discrimination', 'choices', 'flags'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  return [head, ...lines]
    .map((l) =>
      l
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  if (args.some((a) => a === '--help' || a === '-h' || a === 'help')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    console.error(`Unknown argument '${unknown[0]}'.\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const course = (await loadContent(config.contentDir, config.org, config.orgContentDir)).courses.en;
  const stores = await openExistingStores(config, new Date());
  const statistics = await new ItemService(course, stores.progress).statistics().finally(() => stores.close());
  const questions = new Map(course.lessons.flatMap((l) => l.questions).map((q) => [q.id, q]));
  const rows = statistics.map((s) => {
    const choices = questions.get(s.id)?.choices ?? [];
    return asJson(
      s,
      choices.map((c) => c.id),
      choices.map((c) => c.correct),
    );
  });
  console.log(args.includes('--json') ? JSON.stringify(rows, null, 2) : table(rows));
  return 0;
}

await runScript(main);
