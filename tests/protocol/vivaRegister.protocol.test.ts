import { afterEach, describe, expect, it } from 'vitest';
import { GraphError } from '../../src/directory/graph.js';
import { REGISTER_SCOPE, registerProvider } from '../../src/directory/vivaRegistration.js';
import { FakeVivaGraph } from '../support/fakeVivaGraph.js';

let graph: FakeVivaGraph | undefined;
afterEach(async () => {
  await graph?.close();
  graph = undefined;
});

/** The admin's sign-in: a delegated token, for the one scope registering asks for. */
const signedIn = (token: string) => ({
  scopes: [] as string[],
  async getToken(scope: string | string[]) {
    this.scopes.push(...[scope].flat());
    return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
});

describe('npm run viva -- register', () => {
  it('registers the provider with its logos, then turns course activity sync on, and returns its id', async () => {
    graph = await FakeVivaGraph.start();
    const credential = signedIn(graph.delegatedToken);
    const logoUrl = 'https://contoso.example/postwise.png';
    const id = await registerProvider(graph.url, credential, { displayName: 'Postwise', logoUrl });
    expect(credential.scopes).toEqual([REGISTER_SCOPE]);
    expect(graph.providers.get(id)).toMatchObject({
      displayName: 'Postwise',
      squareLogoWebUrlForDarkTheme: logoUrl,
      longLogoWebUrlForLightTheme: logoUrl,
      isCourseActivitySyncEnabled: true,
    });
    expect(graph.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PATCH 204']);
  });

  it('says what the admin needs when Graph refuses the sign-in', async () => {
    graph = await FakeVivaGraph.start();
    const refused = registerProvider(graph.url, signedIn('someone-else'), {
      displayName: 'Postwise',
      logoUrl: 'https://x.example/l.png',
    });
    await expect(refused).rejects.toBeInstanceOf(GraphError);
    await expect(refused).rejects.toThrow(/401 InvalidAuthenticationToken.*Knowledge Administrator/);
    expect(graph.providers.size).toBe(0);
  });
});
