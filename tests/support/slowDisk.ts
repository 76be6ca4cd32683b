// Preloaded (`node --import tsx --import tests/support/slowDisk.ts`) by tests that kill the bot
// mid-write: every append to a shard journal waits SLOW_JOURNAL_APPEND_MS before it reaches the
// disk, so a record's write is pending long enough for a test to act in between. Production
// code has no such hook.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const delayMs = Number(process.env.SLOW_JOURNAL_APPEND_MS ?? '0');
const appendFile = fs.promises.appendFile;
fs.promises.appendFile = async (...args: Parameters<typeof appendFile>) => {
  if (String(args[0]).endsWith('.journal.jsonl')) await sleep(delayMs);
  return appendFile(...args);
};
syncBuiltinESMExports();
