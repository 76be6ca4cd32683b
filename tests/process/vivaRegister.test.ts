import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { REGISTER_SCOPE } from '../../src/directory/vivaRegistration.js';
import { FakeEntra, type SignInOutcome } from '../support/fakeEntra.js';
import { FakeVivaGraph } from '../support/fakeVivaGraph.js';

const LOGO = 'https://contoso.example/postwise.png';

let entra: FakeEntra | undefined;
let graph: FakeVivaGraph | undefined;
afterEach(async () => {
  await entra?.close();
  await graph?.close();
  entra = graph = undefined;
});

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs `npm run viva -- register` (scripts/viva.ts through tsx) against the fake Entra ID and Graph; once it has
 * printed the sign-in message and Entra has told it the sign-in is pending, the admin signs in with the code shown.
 */
async function register(outcome: SignInOutcome): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [e, g] = [entra!, graph!];
  // A public client: the admin's sign-in is all it has, no secret.
  const { AZURE_CLIENT_SECRET: _secret, ...settings } = e.env();
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings, POSTWISE_GRAPH_URL: g.url };
  for (const name of ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'MicrosoftAppId', 'MicrosoftAppTenantId'])
    delete env[name];
  const args = ['--import', 'tsx', 'scripts/viva.ts', 'register', '--logo', LOGO];
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await until(() => /enter the code \w+/.test(stdout) && e.requests.some((r) => r.status === 400));
    const [userCode] = e.userCodes();
    expect(stdout).toContain(`open the page ${e.authorityHost}/devicelogin and enter the code ${userCode}`);
    e.signIn(userCode!, outcome);
    return { code: await exited, stdout, stderr };
  } finally {
    child.kill();
  }
}

describe('npm run viva -- register, signing the admin in with a device code', () => {
  it(
    'shows the code and the page, waits for the sign-in, registers with the delegated token, prints the setting',
    { timeout: 60_000 },
    async () => {
      entra = await FakeEntra.start();
      graph = await FakeVivaGraph.start();
      graph.delegatedToken = entra.delegatedToken;
      const { code, stdout, stderr } = await register('approved');
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const [id, ...others] = [...graph.providers.keys()];
      expect(others).toEqual([]);
      expect(stdout).toContain(`POSTWISE_VIVA_PROVIDER_ID=${id}`);
      expect(stdout).not.toContain(entra.delegatedToken);
      expect(graph.providers.get(id!)).toMatchObject({
        squareLogoWebUrlForDarkTheme: LOGO,
        isCourseActivitySyncEnabled: true,
      });
      expect(graph.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PATCH 204']);
      // Entra said "pending" at least once before the sign-in, then gave the token for the one scope asked.
      const polls = entra.requests.map((r) => r.status);
      expect(polls.at(-1)).toBe(200);
      expect(polls.slice(0, -1).length).toBeGreaterThan(0);
      expect(polls.slice(0, -1).every((s) => s === 400)).toBe(true);
      expect(entra.requests.every((r) => r.scope?.split(' ').includes(REGISTER_SCOPE))).toBe(true);
    },
  );

  it.each([
    ['access_denied', /The sign-in was declined\./],
    ['expired_token', /The sign-in code expired unused\./],
  ] as const)(
    'a sign-in Entra ends with %s stops with a clear message and no token or Graph text',
    { timeout: 60_000 },
    async (outcome, said) => {
      entra = await FakeEntra.start();
      graph = await FakeVivaGraph.start();
      graph.delegatedToken = entra.delegatedToken;
      const { code, stdout, stderr } = await register(outcome);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(said);
      expect(stderr).toContain('npm run viva -- register');
      const printed = stdout + stderr;
      for (const text of [entra.delegatedToken, 'POSTWISE_VIVA_PROVIDER_ID', graph.url, 'learningProviders'])
        expect(printed).not.toContain(text);
      expect(graph.requests).toEqual([]);
      expect(graph.providers.size).toBe(0);
    },
  );
});
