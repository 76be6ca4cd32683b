import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphClient, GraphError } from '../../src/directory/graph.js';
import type { Clock } from '../../src/domain/time/clock.js';
import { RosterService } from '../../src/domain/roster/rosterService.js';
import type { Stores } from '../../src/storage/stores.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { FakeGraph, type FakeGraphUser } from '../support/fakeGraph.js';
import { useTempDirs } from '../support/tempDirs.js';

const T0 = new Date('2026-11-02T09:00:00Z');
const clock: Clock = { now: () => T0 };
const APP = '5a2f5b4e-7c1d-4e8f-9a0b-1c2d3e4f5a6b';
const tempDir = useTempDirs('graph');

const credential = (token = 'fake') => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

function user(n: number, extra: Partial<FakeGraphUser> = {}): FakeGraphUser {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    displayName: `Person ${n}`,
    mail: `Person.${n}@Contoso.example`,
    userPrincipalName: `p${n}@contoso.onmicrosoft.example`,
    department: n % 2 === 0 ? 'Finance' : 'Office',
    jobTitle: 'Office manager',
    accountEnabled: true,
    userType: 'Member',
    ...extra,
  };
}

describe('Microsoft Graph client', () => {
  let graph: FakeGraph;
  let waits: number[];
  let client: GraphClient;

  beforeEach(async () => {
    graph = await FakeGraph.start();
    waits = [];
    client = new GraphClient({
      baseUrl: graph.url,
      credential: credential(),
      sleep: async (ms) => void waits.push(ms),
    });
  });

  afterEach(() => graph.close());

  it('reads every page through the absolute @odata.nextLink, with the token and the fields the roster needs', async () => {
    graph.pageSize = 2;
    graph.users.push(...[1, 2, 3, 4, 5].map((n) => user(n)));
    const rows = await client.listUsers();
    expect(rows.map((r) => r.email)).toEqual([1, 2, 3, 4, 5].map((n) => `person.${n}@contoso.example`));
    expect(rows[1]).toEqual({
      name: 'Person 2',
      email: 'person.2@contoso.example',
      department: 'Finance',
      role: 'Office manager',
      aadObjectId: user(2).id,
    });
    expect(graph.requests).toHaveLength(3);
    expect(graph.requests.every((r) => r.method === 'GET' && r.authorization === 'Bearer fake')).toBe(true);
    const first = new URL(graph.requests[0]?.url ?? '', graph.url);
    expect(first.pathname).toBe('/v1.0/users');
    expect(first.searchParams.get('$select')).toBe(
      'id,displayName,mail,userPrincipalName,department,jobTitle,accountEnabled,userType',
    );
    expect(first.searchParams.get('$top')).toBe('999');
  });

  it('leaves out guests and disabled accounts, and falls back to the UPN and empty department and role', async () => {
    graph.users.push(
      user(1),
      user(2, { userType: 'Guest', mail: 'visitor@partner.example' }),
      user(3, { accountEnabled: false }),
      user(4, { mail: null, department: null, jobTitle: null, displayName: null }),
    );
    const rows = await client.listUsers();
    expect(rows).toEqual([
      expect.objectContaining({ email: 'person.1@contoso.example' }),
      {
        name: 'p4@contoso.onmicrosoft.example',
        email: 'p4@contoso.onmicrosoft.example',
        department: '',
        role: '',
        aadObjectId: user(4).id,
      },
    ]);
  });

  it('treats a tenant without enabled members as an error rather than an empty roster', async () => {
    graph.users.push(user(1, { userType: 'Guest' }), user(2, { accountEnabled: false }));
    await expect(client.listUsers()).rejects.toMatchObject({
      status: 0,
      message: expect.stringMatching(/no enabled member accounts/),
    });
  });

  it('waits as long as a 429 or 503 says in Retry-After, then carries on where it was', async () => {
    graph.pageSize = 2;
    graph.users.push(...[1, 2, 3].map((n) => user(n)));
    graph.planned.set(1, { throttle: 7 });
    graph.planned.set(2, { throttle: 2 });
    graph.planned.set(3, { status: 503, code: 'serviceNotAvailable', message: 'Service unavailable' });
    const rows = await client.listUsers();
    expect(rows).toHaveLength(3);
    expect(waits.slice(0, 2)).toEqual([7000, 2000]);
    expect(waits).toHaveLength(3);
    expect(graph.requests.map((r) => new URL(r.url, graph.url).searchParams.get('$skiptoken'))).toEqual([
      null,
      '2',
      '2',
      '2',
      '2',
    ]);
  });

  it('gives up after a bounded number of throttled retries', async () => {
    const limited = new GraphClient({
      baseUrl: graph.url,
      credential: credential(),
      maxRetries: 2,
      sleep: async (ms) => void waits.push(ms),
    });
    graph.users.push(user(1));
    for (let i = 0; i < 5; i++) graph.planned.set(i, { throttle: 1 });
    const error = await limited.listUsers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 429, code: 'TooManyRequests' });
    expect((error as Error).message).toMatch(/after 2 retries; try again later/);
    expect(graph.requests).toHaveLength(3);
  });

  it.each([
    [401, 'InvalidAuthenticationToken', /check the credential/],
    [403, 'Authorization_RequestDenied', /needs the User\.Read\.All application permission .*admin consent/],
    [500, 'generalException', /Microsoft Graph is unavailable; try again later/],
  ])(
    'turns %i into a GraphError that says what to fix, and the roster stays as it was',
    async (status, code, advice) => {
      const stores = await openLowdbStores(path.join(await tempDir(), 'postwise.json'), T0, 4);
      try {
        const roster = new RosterService(stores.roster, clock);
        await roster.apply(
          [{ name: 'Kept', email: 'kept@contoso.example', department: 'HR', role: 'Advisor' }],
          'graph',
        );
        graph.pageSize = 2;
        graph.users.push(...[1, 2, 3].map((n) => user(n)));
        graph.planned.set(1, { status, code, message: 'Graph says no.' });
        const error = await client
          .listUsers()
          .then((rows) => roster.apply(rows, 'graph'))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GraphError);
        expect(error).toMatchObject({ status, code });
        expect((error as Error).message).toContain(`${status} ${code}`);
        expect((error as Error).message).toMatch(advice);
        expect(await stores.roster.list()).toEqual([
          expect.objectContaining({ email: 'kept@contoso.example', active: true }),
        ]);
        expect(waits).toEqual([]);
      } finally {
        await stores.close();
      }
    },
  );

  it('sends the token the credential gives, and says so when Graph refuses it', async () => {
    const wrong = new GraphClient({ baseUrl: graph.url, credential: credential('expired') });
    await expect(wrong.listUsers()).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/InvalidAuthenticationToken.*check the credential/),
    });
    expect(graph.requests[0]?.authorization).toBe('Bearer expired');
  });

  it('explains a credential that yields no token, without calling Graph', async () => {
    const broken = new GraphClient({
      baseUrl: graph.url,
      credential: {
        getToken: async () => {
          throw new Error('EnvironmentCredential is unavailable. No credential found.');
        },
      },
    });
    await expect(broken.listUsers()).rejects.toMatchObject({
      status: 0,
      message: expect.stringMatching(/No credential found.*AZURE_CLIENT_ID/),
    });
    expect(graph.requests).toEqual([]);
  });

  it('does not follow a next page to another host', async () => {
    const elsewhere = new GraphClient({
      baseUrl: graph.url,
      credential: credential(),
      fetch: async () =>
        Response.json({ value: [user(1)], '@odata.nextLink': 'https://attacker.example/v1.0/users?$skiptoken=1' }),
    });
    await expect(elsewhere.listUsers()).rejects.toMatchObject({ message: expect.stringMatching(/another host/) });
  });

  it('installs the app for a user once: 201 is installed, 409 is already installed', async () => {
    const id = user(1).id;
    expect(await client.installApp(id, APP)).toBe('installed');
    expect(await client.installApp(id, APP)).toBe('already-installed');
    expect(graph.installed).toEqual(new Set([`${id}/${APP}`]));
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      url: `/v1.0/users/${id}/teamwork/installedApps`,
      body: { 'teamsApp@odata.bind': `${graph.url}appCatalogs/teamsApps/${APP}` },
    });
  });

  it('names the Teams app installation permission when an install is forbidden', async () => {
    graph.planned.set(0, { status: 403, code: 'Forbidden', message: 'Missing role permissions on the request.' });
    await expect(client.installApp(user(1).id, APP)).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/TeamsAppInstallation\.ReadWriteSelfForUser\.All application permission/),
    });
    expect(graph.installed.size).toBe(0);
  });
});

describe('roster sync from Microsoft Graph', () => {
  let graph: FakeGraph;
  let stores: Stores;

  beforeEach(async () => {
    graph = await FakeGraph.start();
    stores = await openLowdbStores(path.join(await tempDir(), 'postwise.json'), T0, 4);
  });

  afterEach(async () => {
    await stores.close();
    await graph.close();
  });

  it('loads every member over several pages, then deactivates who left and leaves CSV members alone', async () => {
    const roster = new RosterService(stores.roster, clock);
    const client = new GraphClient({ baseUrl: graph.url, credential: credential(), sleep: async () => {} });
    await roster.apply(
      [{ name: 'From CSV', email: 'csv.only@contoso.example', department: 'Office', role: 'Receptionist' }],
      'csv',
    );
    graph.pageSize = 3;
    graph.users.push(...Array.from({ length: 10 }, (_, i) => user(i + 1)));
    graph.planned.set(2, { throttle: 1 });

    const first = await roster.apply(await client.listUsers(), 'graph');
    expect(first.added).toHaveLength(10);
    expect((await roster.byAadObjectId(user(7).id.toUpperCase()))?.email).toBe('person.7@contoso.example');

    graph.users.splice(
      0,
      graph.users.length,
      ...graph.users.map((u, i) => (i === 0 ? { ...u, accountEnabled: false } : u)),
    );
    const second = await roster.apply(await client.listUsers(), 'graph');
    expect(second).toMatchObject({ added: [], deactivated: ['person.1@contoso.example'], unchanged: 9 });
    expect(await stores.roster.get('person.1@contoso.example')).toMatchObject({
      active: false,
      aadObjectId: user(1).id,
    });
    expect(await stores.roster.get('csv.only@contoso.example')).toMatchObject({ active: true, source: 'csv' });
    expect((await roster.summary()).sources).toEqual({ csv: 1, graph: 9 });
  });
});
