import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRosterCsv } from '../../src/directory/csvRoster.js';
import { GraphClient } from '../../src/directory/graph.js';
import { RosterService } from '../../src/domain/roster/rosterService.js';
import type { Clock } from '../../src/domain/time/clock.js';
import { memoryStores } from '../../src/storage/memory.js';
import { FakeGraph, type FakeGraphUser } from '../support/fakeGraph.js';

const clock: Clock = { now: () => new Date('2026-11-02T09:00:00Z') };
const BOSS_ID = '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';

describe("the roster's manager column", () => {
  it('reads the manager by e-mail or Entra object id under the English header, lower case', () => {
    const csv =
      'Name,Email,Department,Role,Manager\n' +
      'Anna de Vries,anna@contoso.example,Office,Office manager,Mia.Bos@Contoso.example\n' +
      `Bert Smit,bert@contoso.example,Office,Receptionist,${BOSS_ID.toUpperCase()}\n` +
      'Mia Bos,mia.bos@contoso.example,Office,Head of office,\n';
    const { rows, problems } = parseRosterCsv(csv);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.row.manager)).toEqual(['mia.bos@contoso.example', BOSS_ID, undefined]);
    expect(rows[2]?.row).not.toHaveProperty('manager');
  });

  it("reads the Dutch header 'Leidinggevende', and reports a value that is neither an address nor an id by line", () => {
    const csv =
      'Naam;E-mail;Afdeling;Functie;Leidinggevende\n' +
      'Anna de Vries;anna@contoso.example;Kantoor;Officemanager;mia@contoso.example\n' +
      'Bert Smit;bert@contoso.example;Kantoor;Receptionist;Mia Bos\n';
    const { rows, problems, skippedEmails } = parseRosterCsv(csv);
    expect(rows.map((r) => [r.line, r.row.manager])).toEqual([[2, 'mia@contoso.example']]);
    expect(problems).toEqual([
      {
        line: 3,
        reason: 'Manager is neither an e-mail address nor an Entra object id',
        issues: [{ code: 'manager-invalid' }],
      },
    ]);
    expect(skippedEmails).toEqual(['bert@contoso.example']);
  });

  it('is optional: a file without it has no manager, and a new or changed manager counts as a change', async () => {
    const without = parseRosterCsv('Name,Email,Department,Role\nAnna,anna@contoso.example,Office,Clerk\n');
    expect(without.rows[0]?.row).toEqual({
      name: 'Anna',
      email: 'anna@contoso.example',
      department: 'Office',
      role: 'Clerk',
    });
    const roster = new RosterService(memoryStores().roster, clock);
    await roster.apply(
      without.rows.map((r) => r.row),
      'csv',
    );
    const withManager = parseRosterCsv(
      'Name,Email,Department,Role,Manager\nAnna,anna@contoso.example,Office,Clerk,mia@contoso.example\n',
    );
    const rows = withManager.rows.map((r) => r.row);
    expect(await roster.plan(rows, 'csv')).toMatchObject({
      updated: [{ key: 'anna@contoso.example', fields: ['manager'] }],
    });
    await roster.apply(rows, 'csv');
    expect(await roster.plan(rows, 'csv')).toMatchObject({ updated: [], unchanged: 1 });
  });
});

describe("Microsoft Graph's managers", () => {
  let graph: FakeGraph;
  beforeEach(async () => {
    graph = await FakeGraph.start();
  });
  afterEach(() => graph.close());

  const user = (n: number, extra: Partial<FakeGraphUser> = {}): FakeGraphUser => ({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    displayName: `Person ${n}`,
    mail: `person.${n}@contoso.example`,
    userPrincipalName: `p${n}@contoso.example`,
    department: 'Office',
    jobTitle: 'Clerk',
    accountEnabled: true,
    userType: 'Member',
    ...extra,
  });

  it("come with the users in one read ($expand=manager), by Entra object id, through Graph's pages of 100", async () => {
    const boss = user(0);
    graph.users.push(boss, ...Array.from({ length: 250 }, (_, i) => user(i + 1, { managerId: boss.id })));
    const client = new GraphClient({
      baseUrl: graph.url,
      credential: { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    });
    const rows = await client.listUsers();
    expect(rows).toHaveLength(251);
    expect(rows[0]).not.toHaveProperty('manager');
    expect(new Set(rows.slice(1).map((r) => r.manager))).toEqual(new Set([boss.id]));
    expect(graph.requests).toHaveLength(3);
    const first = new URL(graph.requests[0]?.url ?? '', graph.url);
    expect(first.searchParams.get('$expand')).toBe('manager($select=id,mail,userPrincipalName)');

    const roster = new RosterService(memoryStores().roster, clock);
    await roster.sync(client);
    graph.users[5] = user(5, { managerId: user(1).id });
    expect((await roster.plan(await client.listUsers(), 'graph')).updated).toEqual([
      { key: 'person.5@contoso.example', fields: ['manager'] },
    ]);
  });
});
