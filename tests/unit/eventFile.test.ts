import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CourseEvent } from '../../src/domain/course/events.js';
import { EventFile } from '../../src/storage/lowdb/eventFile.js';
import { useTempDirs } from '../support/tempDirs.js';
import { answeredEvent } from '../support/events.js';

const tempDir = useTempDirs('event-file');

describe('the event log file', () => {
  it('tells which events it holds, by id and user, also ids that do not start with the user or hold a newline', async () => {
    const file = path.join(await tempDir(), 'events.jsonl');
    const log = await EventFile.open(file);
    const held = [
      answeredEvent('u1/answered/q1', 'u1'),
      answeredEvent('u1/answered/q2', 'u1'),
      answeredEvent('other-id', 'u2'),
      answeredEvent('u3/a\nb', 'u3'),
    ];
    for (const e of held) await log.append(e);
    await log.append(held[0] as CourseEvent);
    const logged = await log.logged();
    for (const e of held) expect(logged.has(e)).toBe(true);
    for (const e of [
      answeredEvent('u1/answered/q', 'u1'),
      answeredEvent('u1/answered/q3', 'u1'),
      answeredEvent('u2/answered/q1', 'u2'),
      answeredEvent('u1/answered/q1', 'u2'),
      answeredEvent('u3/a', 'u3'),
    ]) {
      expect(logged.has(e)).toBe(false);
    }
    await log.close();
  });

  it('cuts off a torn last line longer than what it reads at a time, keeps the lines before it and goes on appending', async () => {
    const file = path.join(await tempDir(), 'events.jsonl');
    const first = await EventFile.open(file);
    await first.append(answeredEvent('u1/a', 'u1'));
    await first.close();
    await appendFile(file, `{"id":"u1/b","note":"${'x'.repeat(200_000)}`);
    const again = await EventFile.open(file);
    await again.append(answeredEvent('u1/c', 'u1'));
    expect((await again.list()).map((e) => e.id)).toEqual(['u1/a', 'u1/c']);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(3);
    await again.close();
  });

  it('opens a missing file as an empty log', async () => {
    const log = await EventFile.open(path.join(await tempDir(), 'events.jsonl'));
    expect(await log.list()).toEqual([]);
    expect((await log.logged()).has(answeredEvent('u1/a', 'u1'))).toBe(false);
  });
});
