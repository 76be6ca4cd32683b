import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { lockFile } from '../../src/storage/lowdb/storeLock.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { cardText, poster, startHarness, TestUser } from '../support/harness.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('life');

describe('resume anywhere', () => {
  it('continues after a restart where the employee left off, and old cards still answer correctly', async () => {
    const dataFile = path.join(await tempDir(), 'postwise.json');
    const connector = await FakeConnector.start();
    const stores = await openLowdbStores(dataFile, new Date());
    const first = await startHarness({ stores, connector });
    const user = first.user();
    const lesson = (await user.say('start')).cards[0] as Record<string, unknown>;
    const question = (await user.press(lesson, 'open')).cards[0] as Record<string, unknown>;
    const answered = await user.press(question, 'answer', { choice: 'a' });
    await first.close();

    const second = await startHarness({ stores: await openLowdbStores(dataFile, new Date()), connector });
    try {
      const again = user.on(second);
      const next = cardText((await again.say('continue')).cards[0]);
      expect(next).toContain('question 2 of');
      const replay = await again.press(question, 'answer', { choice: 'b' });
      expect(replay.body).toEqual(answered.body);
      const reopened = await again.press(lesson, 'open');
      expect(cardText(reopened.cards[0])).toBe(next);
    } finally {
      await second.close();
      await connector.close();
    }
  });
});

describe('the process', () => {
  it('creates its data file on first start, and on SIGTERM flushes it and exits cleanly', async () => {
    const dataFile = path.join(await tempDir(), 'nested', 'postwise.json');
    const connector = await FakeConnector.start();
    const proc = startBotProcess({ PORT: '0', POSTWISE_DATA_FILE: dataFile });
    try {
      const url = await proc.listening;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(proc.output().stdout).toContain('local: no Bot Framework authentication, loopback only');
      expect(proc.output().stderr).not.toContain('DeprecationWarning');
      const user = new TestUser({ connector, post: poster(url, connector) }, 'en-US', 'Piet');
      expect((await user.click('start')).status).toBe(200);
      expect((await user.click('open', { lesson: 'why-everyone' })).status).toBe(200);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      const stores = await openLowdbStores(dataFile, new Date());
      expect((await stores.progress.get(user.aadObjectId))?.lessonsOpened).toEqual(['why-everyone']);
      expect((await stores.conversations.get(user.aadObjectId))?.conversationId).toBe(user.conversationId);
    } finally {
      proc.child.kill('SIGKILL');
      await connector.close();
    }
  });

  const title = 'on %s exits within seconds whatever connections are open, data intact';
  it.each(['SIGTERM', 'SIGINT'] as const)(title, async (signal) => {
    const dataFile = path.join(await tempDir(), 'postwise.json');
    const connector = await FakeConnector.start();
    const proc = startBotProcess({ PORT: '0', POSTWISE_DATA_FILE: dataFile });
    const sockets: Socket[] = [];
    try {
      const url = new URL(await proc.listening);
      const user = new TestUser({ connector, post: poster(url.origin, connector) }, 'en-US', 'Piet');
      expect((await user.click('open', { lesson: 'why-everyone' })).status).toBe(200);
      const open = async (sent: string) => {
        const socket = connect(Number(url.port), url.hostname);
        sockets.push(socket);
        socket.on('error', () => {});
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write(sent);
        return socket;
      };
      // A browser's keep-alive connection after a page, one it opened ahead and one mid-request.
      const keptAlive = await open('GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: keep-alive\r\n\r\n');
      await new Promise((resolve) => keptAlive.once('data', resolve));
      await open('');
      await open('GET /downloads/abc HTTP/1.1\r\nHost: bot\r\n');
      expect(existsSync(lockFile(dataFile))).toBe(true);
      const signalled = Date.now();
      proc.child.kill(signal);
      expect(await proc.exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(5000);
      // It gave the store up: the roster CLI may write it now.
      expect(existsSync(lockFile(dataFile))).toBe(false);
      const stores = await openLowdbStores(dataFile, new Date());
      expect((await stores.progress.get(user.aadObjectId))?.lessonsOpened).toEqual(['why-everyone']);
      await stores.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      proc.child.kill('SIGKILL');
      await connector.close();
    }
  });

  it("prints no warning for restify's process.binding('http_parser'), and every other warning still", async () => {
    const script = [
      "await import('./src/http/server.ts');",
      "process.binding('v8');",
      "process.emitWarning('Something else', 'DeprecationWarning', 'DEP0999');",
    ].join(' ');
    const stderr = await new Promise<string>((resolve) => {
      const args = ['--import', 'tsx', '--input-type=module', '-e', script];
      execFile(process.execPath, args, { cwd: PROJECT_ROOT }, (_error, _stdout, err) => resolve(err));
    });
    expect(stderr).not.toContain('http_parser');
    expect(stderr).toContain("[DEP0111] DeprecationWarning: Access to process.binding('v8') is deprecated.");
    expect(stderr).toContain('[DEP0999] DeprecationWarning: Something else');
  });

  it('refuses to start on a bad setting, naming the variable', async () => {
    const proc = startBotProcess({ PORT: 'eighty' });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('Configuration error: PORT must be a whole number');
  });

  it('refuses to start on broken content, naming the file and field', async () => {
    const dir = path.join(await tempDir(), 'content');
    await cp(path.join(PROJECT_ROOT, 'content'), dir, { recursive: true });
    await writeFile(
      path.join(dir, 'en', 'course.json'),
      JSON.stringify({ title: 'x', intro: 'y', minutes: 0, summary: ['a', 'b', 'c'] }),
    );
    const dataFile = path.join(dir, '..', 'd.json');
    const proc = startBotProcess({ PORT: '0', POSTWISE_CONTENT_DIR: dir, POSTWISE_DATA_FILE: dataFile });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('content/en/course.json: minutes must be a whole number from 1 to 240');
  });

  it("refuses to start on a broken organisation lesson, naming the organisation's file and field", async () => {
    const org = path.join(await tempDir(), 'acme');
    await cp(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'org'), org, { recursive: true });
    const lesson = path.join(org, 'nl', 'lessons', '01-customer-sites.json');
    await writeFile(lesson, JSON.stringify({ ...JSON.parse(await readFile(lesson, 'utf8')), takeaway: '' }));
    const dataFile = path.join(org, '..', 'd.json');
    const proc = startBotProcess({ PORT: '0', POSTWISE_ORG_CONTENT: org, POSTWISE_DATA_FILE: dataFile });
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('acme/nl/lessons/01-customer-sites.json: takeaway is missing or empty');
  });
});
