import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `done` says so, checking every 250 ms; throws after `timeoutMs`. */
export async function until(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${(timeoutMs / 1000).toFixed(0)} s`);
    await sleep(250);
  }
}
