// Preloaded (`node --import tsx --import tests/support/slowDisk.ts`) by tests that kill the bot
// mid-write: every append to a shard journal (by name or through a handle opened on it) waits SLOW_JOURNAL_APPEND_MS
// before it reaches the
// disk, so a record's write is pending long enough for a test to act in between. Production
// code has no such hook.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const delayMs = Number(process.env.SLOW_JOURNAL_APPEND_MS ?? '0');
const isJournal = (file: unknown) => String(file).endsWith('.journal.jsonl');
/** Journals kept open between appends. */
const journalHandles = new WeakSet<object>();
const open = fs.promises.open;
fs.promises.open = async (...args: Parameters<typeof open>) => {
  const handle = await open(...args);
  if (isJournal(args[0])) journalHandles.add(handle);
  return handle;
};
const appendFile = fs.promises.appendFile;
fs.promises.appendFile = async (...args: Parameters<typeof appendFile>) => {
  const [file] = args;
  if (isJournal(file) || (typeof file === 'object' && journalHandles.has(file))) await sleep(delayMs);
  return appendFile(...args);
};
syncBuiltinESMExports();
