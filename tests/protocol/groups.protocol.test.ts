import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validCards } from '../support/cardSchema.js';
import { FakeGraph, type FakeGraphUser } from '../support/fakeGraph.js';
import { cardText, elementOf, startHarness, type BotHarness, type TestUser } from '../support/harness.js';
import { handClock } from '../support/handClock.js';
import { completeCourseInStore, loadCourse } from '../support/hrFixtures.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';

const SALES = '1a1a1a1a-0000-4000-8000-000000000001';
const SALES_NORTH = '1a1a1a1a-0000-4000-8000-000000000002';
const FINANCE = '1a1a1a1a-0000-4000-8000-000000000003';
const VISITORS = '1a1a1a1a-0000-4000-8000-000000000004';

let graph: FakeGraph;
let h: BotHarness;
let hr: TestUser;
let anna: TestUser;
let bert: TestUser;
let cor: TestUser;

function graphUser(user: { aadObjectId: string; name: string }, extra: Partial<FakeGraphUser> = {}): FakeGraphUser {
  const mail = `${user.name.split(' ')[0]?.toLowerCase()}@contoso.example`;
  return {
    id: user.aadObjectId,
    displayName: user.name,
    mail,
    userPrincipalName: mail,
    department: 'Sales',
    jobTitle: 'Rep',
    accountEnabled: true,
    userType: 'Member',
    ...extra,
  };
}

const other = (n: number, name: string, extra: Partial<FakeGraphUser> = {}) =>
  graphUser({ aadObjectId: `2b2b2b2b-0000-4000-8000-${String(n).padStart(12, '0')}`, name }, extra);

beforeEach(async () => {
  graph = await FakeGraph.start();
  h = await startHarness({
    clock: handClock('2026-11-02T09:00:00Z'), // Monday 10:00 in Amsterdam
    env: { POSTWISE_HR_USERS: HR_ID, POSTWISE_ROSTER_SOURCE: 'graph', POSTWISE_GRAPH_URL: graph.url },
    graphCredential: { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) },
  });
  hr = hrUser(h);
  anna = h.user({ name: 'Anna de Vries' });
  bert = h.user({ name: 'Bert Smit' });
  cor = h.user({ name: 'Cor Visser' });
  const guest = other(1, 'Gwen Guest', { userType: 'Guest', mail: 'gwen@partner.example' });
  const disabled = other(2, 'Dave Left', { accountEnabled: false });
  graph.users.push(graphUser(anna), graphUser(bert), graphUser(cor, { department: 'Finance' }), guest, disabled);
  graph.groups.push(
    { id: SALES, displayName: 'Sales NL', members: [anna.aadObjectId, SALES_NORTH, guest.id, disabled.id] },
    { id: SALES_NORTH, displayName: 'Sales Noord', members: [bert.aadObjectId, anna.aadObjectId] },
    { id: FINANCE, displayName: 'Finance', members: [cor.aadObjectId] },
  );
  // The leader syncs the roster from Graph at start: the three enabled members.
  await vi.waitFor(async () => expect(await h.stores.roster.list()).toHaveLength(3), { timeout: 5_000 });
});
afterEach(async () => {
  await h.close();
  await graph.close();
});

const messagesAfter = (before: number) =>
  h.connector.calls.slice(before).filter((c) => c.method === 'POST' && c.activity.attachments);
/** The input with this id, in the card's body or in a container there. */
function inputOf(card: unknown, id: string): Record<string, unknown> | undefined {
  const body = (card as { body: Record<string, unknown>[] }).body;
  const items = (e: Record<string, unknown>) => (e.items as Record<string, unknown>[] | undefined) ?? [];
  return body.flatMap((e) => [e, ...items(e)]).find((e) => e.id === id);
}

/** Clicks *Find* on the campaign form (it sits in the body, beside the search box). */
function find(user: TestUser, card: unknown, inputs: Record<string, string>) {
  const set = elementOf(card as Record<string, unknown>, 'ActionSet') as { actions: Record<string, unknown>[] };
  const action = set.actions.find((a) => a.verb === 'hrCampaignGroupFind');
  return user.click('hrCampaignGroupFind', { ...(action?.data as Record<string, unknown>), ...inputs });
}

describe('a campaign to an Entra group', () => {
  it('finds a group by name, previews who in it is on the roster and who is not, reaches only the former', async () => {
    const form = validCards(await hr.say('campaign')).cards[0] as Record<string, unknown>;
    expect(cardText(form)).toContain('Members of an Entra group');
    const found = validCards(await find(hr, form, { groupSearch: 'sal', due: '2026-12-01' }));
    const search = graph.requests.find((r) => r.url.startsWith('/v1.0/groups?'));
    expect(new URL(search?.url ?? '', graph.url).searchParams.get('$search')).toBe('"displayName:sal"');
    expect(search?.consistencyLevel).toBe('eventual');
    const picker = found.body.value as Record<string, unknown>;
    expect(inputOf(picker, 'audience')).toMatchObject({ value: 'group' });
    const choices = inputOf(picker, 'group')?.choices as { title: string; value: string }[];
    expect(choices.map((c) => c.title)).toEqual(['Sales NL', 'Sales Noord']);

    const preview = validCards(
      await hr.press(picker, 'hrCampaignPreview', {
        audience: 'group',
        group: SALES,
        groupSearch: 'sal',
        due: '2026-12-01',
      }),
    ).body.value as Record<string, unknown>;
    const text = cardText(preview);
    expect(text).toContain('Recipients: 2.');
    expect(text).toContain('Members of the group Sales NL');
    expect(text).toContain('2 of the group’s 4 members are on the roster.');
    expect(text).toContain('In the group but not on the roster, so they do not get it: 2.\nDave Left, Gwen Guest');
    expect(text).not.toContain('Cor Visser');

    // Change keeps the group picked; Send reaches Anna and Bert (Bert through the nested group), once each.
    const changed = validCards(await hr.press(preview, 'hrCampaign')).cards[0] as Record<string, unknown>;
    expect(inputOf(changed, 'group')).toMatchObject({ value: SALES });
    const before = h.connector.calls.length;
    await hr.press(preview, 'hrCampaignSend');
    await h.app.deliveriesIdle();
    const reached = messagesAfter(before).map((c) => c.conversationId);
    expect(reached.sort()).toEqual([`a:${anna.aadObjectId}`, `a:${bert.aadObjectId}`].sort());
    const [stored] = await h.stores.campaigns.list();
    expect(stored?.audience).toEqual({ kind: 'group', groupId: SALES, groupName: 'Sales NL', leaveOutCompleted: true });
  });

  it('leaves out those who completed, names at most 20 outside the roster, in Dutch', async () => {
    await completeCourseInStore(h.stores, await loadCourse(), anna.aadObjectId);
    const guests = Array.from({ length: 23 }, (_, i) => other(100 + i, `Gast ${String(i).padStart(2, '0')}`));
    graph.users.push(...guests);
    graph.pageSize = 10; // transitiveMembers comes in pages
    graph.groups.push({ id: VISITORS, displayName: 'Bezoekers', members: [SALES, ...guests.map((g) => g.id)] });
    const dutch = hrUser(h, 'nl-NL');
    const form = validCards(await dutch.say('campagne')).cards[0] as Record<string, unknown>;
    const found = validCards(await find(dutch, form, { groupSearch: 'bez' })).body.value;
    expect(inputOf(found as Record<string, unknown>, 'group')).toMatchObject({ value: VISITORS });
    const preview = cardText(
      validCards(
        await dutch.press(found as Record<string, unknown>, 'hrCampaignPreview', {
          audience: 'group',
          group: VISITORS,
          due: '2026-12-01',
        }),
      ).body.value,
    );
    expect(preview).toContain('Ontvangers: 1.');
    expect(preview).toContain('Leden van de groep Bezoekers');
    expect(preview).toContain('2 van de 27 leden van de groep staan op het rooster.');
    expect(preview).toContain('In de groep maar niet op het rooster, dus zij krijgen het bericht niet: 25.');
    expect(preview).toMatch(/Dave Left, Gast 00, .*Gast 18 en nog 5/);
    expect(preview).toContain('Niet meegenomen: 1');
    const pages = graph.requests.filter((r) => r.url.includes(`/groups/${VISITORS}/transitiveMembers`));
    expect(pages).toHaveLength(3);
  });

  it('takes a group id no search offered only when Graph knows it', async () => {
    const request = { request: 'c-typed', audience: 'group', due: '2026-12-01', note: '' };
    const finance = cardText(
      validCards(await hr.click('hrCampaignPreview', { ...request, group: FINANCE })).body.value,
    );
    expect(finance).toContain('Members of the group Finance');
    expect(finance).toContain('Recipients: 1.');
    for (const group of ['9f9f9f9f-0000-4000-8000-000000000009', '../users', '']) {
      const refused = cardText(validCards(await hr.click('hrCampaignSend', { ...request, group })).body.value);
      expect(refused).toContain('Pick a group: type the start of its name, choose Find, then pick it from the list.');
    }
    expect(await h.stores.campaigns.list()).toEqual([]);
  });

  it('tells HR when Graph fails, never with Graph’s own text, and waits out a short Retry-After', async () => {
    graph.planned.set(graph.requests.length, { throttle: 1 });
    const form = validCards(await hr.say('campaign')).cards[0] as Record<string, unknown>;
    const waited = validCards(await find(hr, form, { groupSearch: 'fin' })).body.value;
    expect(inputOf(waited as Record<string, unknown>, 'group')).toMatchObject({ value: FINANCE });

    graph.planned.set(graph.requests.length, { throttle: 60 });
    const throttled = cardText(validCards(await find(hr, form, { groupSearch: 'fin' })).body.value);
    expect(throttled).toContain('Microsoft Graph did not answer, so the groups could not be read.');
    const message = 'Insufficient privileges to complete the operation.';
    graph.planned.set(graph.requests.length + 1, { status: 403, code: 'Authorization_RequestDenied', message });
    const request = { request: 'c-403', audience: 'group', group: FINANCE, due: '2026-12-01', note: '' };
    const denied = cardText(validCards(await hr.click('hrCampaignSend', request)).body.value);
    expect(denied).toContain('ask the IT admin to check the Group.Read.All permission');
    expect(denied).not.toContain(message);
    expect(h.log.lines.join('\n')).not.toContain(message);
    expect(h.log.lines.some((l) => l.includes('groups.graph-failed'))).toBe(true);
    expect(await h.stores.campaigns.list()).toEqual([]);
  });
});
