import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import { startLocalBot, type LocalBot } from '../../scripts/localBot.js';
import { startPlayground, type Playground } from '../../scripts/playground.js';
import { PROJECT_ROOT } from '../../src/config.js';

/** What the Playground calls the bot it talks to, in its @ list and above its messages. */
export const PLAYGROUND_BOT = 'Test Bot';

/** The Playground's places: the personal chat with the bot and its team's General channel. */
export const PLACES = { personal: 'Personal Chat', channel: 'My Team - General' } as const;

/** Debian's chromium; the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The bot on a temporary store, the Agents Playground in front of it, and a headless chromium on the Playground's page.
 */
export class PlaygroundSession {
  private step = 0;

  private constructor(
    readonly page: Page,
    /** Closes the browser, stops the Playground and the bot, removes the temporary files: last opened, first closed. */
    private readonly cleanups: readonly (() => Promise<unknown>)[],
    private readonly bot: LocalBot,
    private readonly playground: Playground,
    /** Where this session's screenshots go, inside .e2e-artifacts/. */
    readonly artifacts: string,
    /** Requests the page tried to make beyond loopback, all blocked. */
    readonly blocked: readonly string[],
    /** The page's console errors and warnings. */
    readonly consoleMessages: readonly string[],
  ) {}

  /**
   * Starts everything on free ports with a fresh store and browser profile; artifacts go to
   * .e2e-artifacts/<name>/. `env` adds settings; `prepare` fills the store before the bot starts.
   */
  static async open(
    name: string,
    options: { env?: Record<string, string>; prepare?: (dataFile: string) => Promise<void> } = {},
  ): Promise<PlaygroundSession> {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
    const artifacts = path.join(PROJECT_ROOT, '.e2e-artifacts', name);
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    const temp = await mkdtemp(path.join(tmpdir(), 'postwise-e2e-'));
    // Only what the run needs, so a developer's own settings cannot change what the page shows.
    const dataFile = path.join(temp, 'data', 'postwise.json');
    const env = {
      PATH: process.env.PATH,
      PORT: String(await freePort()),
      POSTWISE_DATA_FILE: dataFile,
      ...options.env,
    };
    await options.prepare?.(dataFile);
    const bot = await startLocalBot(env);
    const cleanups = [() => rm(temp, { recursive: true, force: true }), () => bot.child.stop()];
    try {
      const playground = await startPlayground({ botEndpoint: `${bot.url}/api/messages`, port: await freePort() });
      cleanups.push(
        () => rm(path.dirname(playground.logFile), { recursive: true, force: true }),
        () => playground.child.stop(),
      );
      const context = await chromium.launchPersistentContext(path.join(temp, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
      });
      cleanups.push(() => context.close());
      const blocked: string[] = [];
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (LOOPBACK.has(url.hostname)) return route.continue();
        blocked.push(url.href);
        return route.abort('blockedbyclient');
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const consoleMessages: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleMessages.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleMessages.push(`page error: ${e.message}`));
      page.setDefaultTimeout(30_000);
      // The Playground's first page load compiles nothing but is slow on a busy machine.
      page.setDefaultNavigationTimeout(90_000);
      await page.goto(playground.url);
      return new PlaygroundSession(page, cleanups, bot, playground, artifacts, blocked, consoleMessages);
    } catch (error) {
      for (const cleanup of [...cleanups].reverse()) await cleanup();
      throw error;
    }
  }

  /** Every Adaptive Card in the conversation, oldest first. */
  get cards(): Locator {
    return this.page.locator('.ac-adaptiveCard');
  }

  /** The card with this heading. */
  cardWithHeading(heading: string): Locator {
    return this.cards.filter({ has: this.page.getByRole('heading', { name: heading, exact: true }) });
  }

  /**
   * A text message (not a card) in the conversation; the chat list and the log panel repeat it, but not as a paragraph.
   */
  message(text: string): Locator {
    return this.page.getByRole('paragraph').and(this.page.getByText(text, { exact: true }));
  }

  /** Types a message into the compose box and sends it. */
  async send(text: string): Promise<void> {
    await this.page.getByRole('textbox').fill(text);
    await this.page.getByRole('button', { name: 'Send Message', exact: true }).click();
  }

  /** Opens a place in the Playground's left-hand list. */
  async go(place: keyof typeof PLACES): Promise<void> {
    await this.page.getByRole('treeitem', { name: PLACES[place], exact: true }).click();
  }

  /**
   * Types into a compose box as a person would, with `@` + the bot picked from the Playground's
   * @ list first when `mention` is set (typed out, "@Test Bot" is plain text, not a mention).
   */
  async compose(box: Locator, text: string, options: { mention?: boolean } = {}): Promise<void> {
    const input = box.getByRole('textbox');
    if (options.mention) {
      await input.pressSequentially(`@${PLAYGROUND_BOT.slice(0, 4)}`);
      await this.page
        .getByRole('listbox', { name: 'Typeahead menu' })
        .getByRole('menuitem', { name: PLAYGROUND_BOT })
        .click();
      await input.pressSequentially(` ${text}`);
    } else {
      await input.pressSequentially(text);
    }
  }

  /** The channel's box for a new post, and its Post button. */
  get newPost(): Locator {
    return this.page.getByRole('group').filter({ has: this.page.getByRole('button', { name: 'Post', exact: true }) });
  }

  /** A conversation in the channel (a post and its replies) that contains this. */
  thread(containing: Locator): Locator {
    return this.page
      .getByRole('group')
      .filter({ has: containing })
      .filter({ has: this.page.getByRole('button', { name: 'Send Message', exact: true }) });
  }

  /** Saves a numbered screenshot of the page, with the locator scrolled into view. */
  async screenshot(name: string, show?: Locator): Promise<void> {
    await show?.scrollIntoViewIfNeeded();
    this.step += 1;
    await this.page.screenshot({
      path: path.join(this.artifacts, `${String(this.step).padStart(2, '0')}-${name}.png`),
    });
  }

  /**
   * Keeps what is needed to see why a run failed: a screenshot, the messages seen, the bot's and the Playground's logs.
   */
  async saveFailure(): Promise<string> {
    const messages = await this.page
      .locator('body')
      .ariaSnapshot()
      .catch((e: Error) => `(no snapshot: ${e.message})`);
    await this.page
      .screenshot({ path: path.join(this.artifacts, 'failure.png'), fullPage: true })
      .catch(() => undefined);
    await writeFile(path.join(this.artifacts, 'messages.yml'), `${messages}\n`);
    await writeFile(path.join(this.artifacts, 'bot.log'), `${this.bot.child.output.join('\n')}\n`);
    await writeFile(path.join(this.artifacts, 'blocked.txt'), `${this.blocked.join('\n')}\n`);
    await writeFile(path.join(this.artifacts, 'console.txt'), `${this.consoleMessages.join('\n')}\n`);
    await copyFile(this.playground.logFile, path.join(this.artifacts, 'playground.log')).catch(() => undefined);
    return messages;
  }

  async close(): Promise<void> {
    for (const cleanup of [...this.cleanups].reverse()) await cleanup();
  }
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
