import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ROSTER_BYTES, parseRosterCsv } from '../../src/directory/csvRoster.js';
import { DownloadError, downloadFile, isAllowedDownload, MAX_REDIRECTS } from '../../src/directory/download.js';
import type { Clock } from '../../src/domain/time/clock.js';
import type { RosterRow } from '../../src/domain/roster/roster.js';
import { RosterService } from '../../src/domain/roster/rosterService.js';
import { memoryStores } from '../../src/storage/memory.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('roster');
const ID1 = '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';
const ID2 = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';

/** A clock that moves on a minute each time it is asked. */
function steppingClock(start = '2026-11-02T09:00:00Z'): Clock {
  let t = Date.parse(start);
  return { now: () => new Date((t += 60_000)) };
}

describe('roster CSV', () => {
  it('reads a comma-separated Excel export with a BOM and CRLF line ends', () => {
    const csv =
      '\uFEFFName,Email,Department,Role\r\nAnna de ' +
      'Vries,Anna.deVries@Contoso.example,Finance,Accountant\r\n"Jansen, ' +
      'Piet",piet@contoso.example,Office,"Office manager"\r\n';
    expect(parseRosterCsv(Buffer.from(csv, 'utf8'))).toEqual({
      rows: [
        {
          line: 2,
          row: {
            name: 'Anna de Vries',
            email: 'anna.devries@contoso.example',
            department: 'Finance',
            role: 'Accountant',
          },
        },
        {
          line: 3,
          row: { name: 'Jansen, Piet', email: 'piet@contoso.example', department: 'Office', role: 'Office manager' },
        },
      ],
      problems: [],
      skippedEmails: [],
    });
  });

  it('reads a Dutch semicolon-separated file without BOM, with Entra object id and personnel number, trimmed', () => {
    const csv =
      `Naam;E-mail;Afdeling;Functie;Object ID;Personeelsnummer\nJosé Bakker ; jose@contoso.example ` +
      `;Receptie;Receptionist; ${ID1.toUpperCase()} ;00123\n`;
    expect(parseRosterCsv(csv)).toEqual({
      rows: [
        {
          line: 2,
          row: {
            name: 'José Bakker',
            email: 'jose@contoso.example',
            department: 'Receptie',
            role: 'Receptionist',
            aadObjectId: ID1,
            employeeNumber: '00123',
          },
        },
      ],
      problems: [],
      skippedEmails: [],
    });
  });

  it.each([
    ['display name', 'mail', 'dept', 'job title', 'AAD Object Id', 'Employee ID'],
    ['DisplayName', 'E-mailadres', 'Afdeling', 'Jobtitle', 'objectid', 'employee_number'],
  ])('recognises the header variants %s, %s, %s, %s, %s, %s', (...header) => {
    const { rows, problems } = parseRosterCsv(
      `${header.join(',')}\nAnna,anna@contoso.example,Finance,Accountant,${ID1},7\n`,
    );
    expect(problems).toEqual([]);
    expect(rows[0]?.row).toEqual({
      name: 'Anna',
      email: 'anna@contoso.example',
      department: 'Finance',
      role: 'Accountant',
      aadObjectId: ID1,
      employeeNumber: '7',
    });
  });

  it("takes an Entra users export's mail, falling back to its userPrincipalName", () => {
    const csv =
      'userPrincipalName,displayName,mail,department,jobTitle\n' +
      'anna@contoso.onmicrosoft.example,Anna,anna@contoso.example,Finance,Accountant\n' +
      'piet@contoso.example,Piet,,Office,Clerk\n';
    expect(parseRosterCsv(csv).rows.map((r) => r.row.email)).toEqual(['anna@contoso.example', 'piet@contoso.example']);
  });

  it('reports every bad row with its physical line number and reason, and keeps the good ones', () => {
    const long = 'x'.repeat(201);
    const csv = [
      'name;email;department;role;entra object id', // 1
      'Anna;anna@contoso.example;Finance;Accountant;', // 2 good
      ';noname@contoso.example;Office;Clerk;', // 3 missing name
      'Bob;;Office;Clerk;', // 4 missing e-mail
      'Carla;carla(at)contoso.example;Office;Clerk;', // 5 invalid e-mail
      'Dirk;dirk@contoso.example;Office;Clerk;not-a-guid', // 6 invalid GUID
      'Anna Again;ANNA@contoso.example;Office;Clerk;', // 7 duplicate e-mail of line 2
      '', // 8 blank: skipped, still counted
      `Eva;eva@contoso.example;Office;Clerk;${ID1}`, // 9 good
      `Frank;frank@contoso.example;Office;Clerk;${ID1}`, // 10 duplicate object id of line 9
      `Gina;gina@contoso.example;${long};Clerk;`, // 11 too long
      'Hans;hans@contoso.example;Office', // 12 wrong column count
      '"Ine', // 13-14: a quoted name over two lines, and no e-mail
      'Multi";;Office;Clerk;',
      ';;;;', // 15 empty row: skipped
      `Jan;jan@contoso.example;Office;Clerk;${ID2}`, // 16 good
    ].join('\n');
    const { rows, problems } = parseRosterCsv(csv);
    expect(rows.map((r) => [r.line, r.row.name])).toEqual([
      [2, 'Anna'],
      [9, 'Eva'],
      [16, 'Jan'],
    ]);
    expect(problems).toMatchObject([
      { line: 3, reason: 'Name is missing' },
      { line: 4, reason: 'Email is missing' },
      { line: 5, reason: 'Email is not a valid e-mail address' },
      { line: 6, reason: expect.stringMatching(/^Entra object id is not a GUID/) },
      { line: 7, reason: 'Email is the same as on line 2' },
      { line: 10, reason: 'Entra object id is the same as on line 9' },
      { line: 11, reason: 'Department is longer than 200 characters' },
      { line: 12, reason: 'It has 3 fields where the header has 5' },
      { line: 13, reason: 'Email is missing' },
    ]);
    expect(parseRosterCsv(csv).skippedEmails).toEqual([
      'noname@contoso.example',
      'dirk@contoso.example',
      'anna@contoso.example',
      'frank@contoso.example',
      'gina@contoso.example',
      'hans@contoso.example',
    ]);
  });

  it('lists every row with broken quotes on its own line, and still reads the good rows around them', () => {
    const csv = [
      'name,email,department,role', // 1
      'Anna,anna@contoso.example,Finance,Accountant', // 2 good
      'Bob "the boss",bob@contoso.example,Office,Manager', // 3 a quote inside an unquoted field
      '"Carla, Kees",carla@contoso.example,Office,"Clerk"', // 4 good, quoted
      '"Dirk" Smit,dirk@contoso.example,Office,Clerk', // 5 text after a closing quote
      'Eva,eva@contoso.example,Office,Clerk', // 6 good
      '"Frank,frank@contoso.example,Office,Clerk', // 7 a quote never closed
      'Gina,gina@contoso.example,Office,Clerk', // 8 good
    ].join('\n');
    const { rows, problems, skippedEmails } = parseRosterCsv(csv);
    expect(rows.map((r) => [r.line, r.row.name])).toEqual([
      [2, 'Anna'],
      [4, 'Carla, Kees'],
      [6, 'Eva'],
      [8, 'Gina'],
    ]);
    expect(problems).toMatchObject([
      { line: 3, reason: expect.stringMatching(/quote/) },
      { line: 5, reason: expect.stringMatching(/quote/) },
      { line: 7, reason: expect.stringMatching(/never closed/) },
    ]);
    expect(JSON.stringify(problems)).not.toMatch(/boss|Smit|frank/);
    // People on unreadable rows are not made inactive by importing the rest.
    expect(skippedEmails).toEqual(['bob@contoso.example', 'dirk@contoso.example', 'frank@contoso.example']);
  });

  it('refuses a file whose header has broken quotes as a whole', () => {
    expect(parseRosterCsv('name,"email,department,role\nAnna,anna@contoso.example,Finance,Accountant\n')).toMatchObject(
      {
        rows: [],
        problems: [{ line: 1, reason: expect.stringMatching(/never closed/) }],
        skippedEmails: [],
      },
    );
  });

  it('names every problem of a row in one reason, and never repeats the bad values', () => {
    const { problems } = parseRosterCsv('name,email,department,role\n,secret-value,Office\n');
    expect(problems).toMatchObject([
      {
        line: 2,
        reason: 'It has 3 fields where the header has 4; name is missing; email is not a valid e-mail address',
      },
    ]);
    // The same as codes, for HR's language.
    expect(problems[0]?.issues).toEqual([
      { code: 'field-count', values: { count: 3, total: 4 } },
      { code: 'name-missing' },
      { code: 'email-invalid' },
    ]);
    expect(JSON.stringify(problems)).not.toContain('secret-value');
  });

  it.each([
    ['', 0, /^The file is empty\.$/],
    ['\uFEFF\r\n  \r\n', 0, /^The file is empty\.$/],
    ['name,email,department,role\n', 0, /header but no employees/],
    [
      'anna@contoso.example,Anna,Finance\n',
      1,
      /^Line 1 is not a header: expected the columns name, email, department, role .*found 'anna@contoso\.example', 'Anna', 'Finance'/,
    ],
    [
      'Naam;E-mail;Team\nAnna;anna@contoso.example;Finance\n',
      1,
      /^The header misses the column role; found 'Naam', 'E-mail', 'Team'\./,
    ],
    [
      'name,e-mail\nAnna,anna@contoso.example\n',
      1,
      /^The header misses the columns department, role; found 'name', 'e-mail'/,
    ],
    ['name,email,email,department,role\n', 1, /the column 'email' twice \(columns 2 and 3\)/],
    ['name,email,department,role\n"Anna,anna@contoso.example,Finance,Accountant\n', 2, /never closed/],
  ])('refuses a bad file as a whole: %j', (csv, line, reason) => {
    const { rows, problems } = parseRosterCsv(csv);
    expect(rows).toEqual([]);
    expect(problems).toMatchObject([{ line, reason: expect.stringMatching(reason) }]);
  });

  it('refuses UTF-16 and non-UTF-8 files with the Excel format to save as', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,email,department,role\n', 'utf16le')]);
    expect(parseRosterCsv(utf16).problems).toMatchObject([
      { line: 0, reason: expect.stringMatching(/UTF-16.*CSV UTF-8/) },
    ]);
    const latin1 = Buffer.from('name,email,department,role\nJos\xe9,jose@contoso.example,Office,Clerk\n', 'latin1');
    expect(parseRosterCsv(latin1)).toMatchObject({
      rows: [],
      problems: [{ line: 0, reason: expect.stringMatching(/not UTF-8.*CSV UTF-8/) }],
      skippedEmails: [],
    });
  });

  it('refuses a 50 MB file straight away, naming its size and the limit', () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, 'a,');
    const started = performance.now();
    const result = parseRosterCsv(huge);
    expect(performance.now() - started).toBeLessThan(100);
    expect(result).toMatchObject({
      rows: [],
      problems: [
        {
          line: 0,
          reason: 'The file is 50 MB; the limit is 10 MB.',
          issues: [{ code: 'too-large', values: { size: '50', max: '10' } }],
        },
      ],
      skippedEmails: [],
    });
    expect(parseRosterCsv(Buffer.alloc(MAX_ROSTER_BYTES + 1)).problems[0]?.reason).toMatch(
      /^The file is 10 MB; the limit is 10 MB/,
    );
  });
});

const anna: RosterRow = { name: 'Anna', email: 'anna@contoso.example', department: 'Finance', role: 'Accountant' };
const piet: RosterRow = { name: 'Piet', email: 'piet@contoso.example', department: 'Office', role: 'Office manager' };
const ines: RosterRow = {
  name: 'Ines',
  email: 'ines@contoso.example',
  department: 'Office',
  role: 'Receptionist',
  aadObjectId: ID2,
};

describe('roster service', () => {
  it('plans without writing, then applies what it planned', async () => {
    const stores = memoryStores();
    const roster = new RosterService(stores.roster, steppingClock());
    const plan = await roster.plan([anna, piet], 'csv');
    expect(plan).toEqual({
      source: 'csv',
      added: [anna.email, piet.email],
      updated: [],
      reactivated: [],
      deactivated: [],
      unchanged: 0,
      duplicates: 0,
    });
    expect(await stores.roster.list()).toEqual([]);
    expect(await roster.apply([anna, piet], 'csv')).toEqual(plan);
    expect(await stores.roster.get(anna.email)).toEqual({
      key: anna.email,
      ...anna,
      active: true,
      source: 'csv',
      updatedAt: '2026-11-02T09:02:00.000Z',
      activeSince: '2026-11-02T09:02:00.000Z',
    });
  });

  it('deactivates who is missing (never deletes), reactivates who returns, lists changed fields, and is idempotent', async () => {
    const stores = await openLowdbStores(
      path.join(await tempDir(), 'postwise.json'),
      new Date('2026-11-02T09:00:00Z'),
      4,
    );
    try {
      const roster = new RosterService(stores.roster, steppingClock());
      await roster.apply([anna, piet, ines], 'csv');

      const moved = { ...piet, department: 'Finance', role: 'Controller' };
      const second = await roster.apply([moved, ines], 'csv');
      expect(second).toMatchObject({
        added: [],
        updated: [{ key: piet.email, fields: ['department', 'role'] }],
        deactivated: [anna.email],
        unchanged: 1,
      });
      expect(await stores.roster.get(anna.email)).toMatchObject({ name: 'Anna', active: false });
      expect(await stores.roster.list()).toHaveLength(3);

      expect(await roster.apply([moved, ines], 'csv')).toMatchObject({
        added: [],
        updated: [],
        reactivated: [],
        deactivated: [],
        unchanged: 2,
      });

      const back = await roster.apply([anna, moved, ines], 'csv');
      expect(back).toMatchObject({ reactivated: [anna.email], unchanged: 2 });
      expect(await stores.roster.get(anna.email)).toMatchObject({ active: true });
      expect(await roster.summary()).toEqual({
        active: 3,
        inactive: 0,
        departments: [
          { name: 'Finance', active: 2 },
          { name: 'Office', active: 1 },
        ],
        sources: { csv: 3, graph: 0 },
        lastChange: expect.stringMatching(/^2026-11-02T09:/),
      });
    } finally {
      await stores.close();
    }
  });

  it('keeps an Entra object id it learnt when a later roster has none, and counts repeated rows once', async () => {
    const stores = memoryStores();
    const roster = new RosterService(stores.roster, steppingClock());
    await roster.apply([anna], 'csv');
    expect(await roster.link(ID1.toUpperCase(), ['someone@contoso.example', 'ANNA@contoso.example'])).toMatchObject({
      email: anna.email,
      aadObjectId: ID1,
    });
    expect(await roster.apply([anna, { ...anna, name: 'Anna B' }], 'csv')).toMatchObject({
      unchanged: 1,
      duplicates: 1,
      updated: [],
    });
    expect((await roster.byAadObjectId(ID1))?.email).toBe(anna.email);
  });

  it('links a Teams user by Entra object id first, else by e-mail or UPN, and never takes over a member with another id', async () => {
    const stores = memoryStores();
    const roster = new RosterService(stores.roster, steppingClock());
    await roster.apply([anna, ines], 'csv');
    expect(await roster.link(ID2, ['whatever@contoso.example'])).toMatchObject({ email: ines.email });
    expect(await roster.link(ID1, ['ines@contoso.example'])).toBeUndefined();
    expect(await roster.link(ID1, ['nobody@contoso.example'])).toBeUndefined();
    expect(await roster.byAadObjectId(ID1)).toBeUndefined();
    expect(await roster.link(ID1, ['anna@contoso.example'])).toMatchObject({ email: anna.email });
    expect(await roster.byAadObjectId(ID1)).toMatchObject({ email: anna.email });
  });

  it('does not deactivate people whose rows were left out for problems', async () => {
    const stores = memoryStores();
    const roster = new RosterService(stores.roster, steppingClock());
    await roster.apply([anna, piet, ines], 'csv');
    expect(await roster.apply([anna], 'csv', { keep: ['PIET@contoso.example'] })).toMatchObject({
      deactivated: [ines.email],
      unchanged: 1,
    });
    expect(await stores.roster.get(piet.email)).toMatchObject({ active: true });
  });

  it('leaves members of the other source alone', async () => {
    const stores = memoryStores();
    const roster = new RosterService(stores.roster, steppingClock());
    await roster.apply([anna], 'graph');
    expect(await roster.apply([piet], 'csv')).toMatchObject({ added: [piet.email], deactivated: [] });
    expect(await stores.roster.get(anna.email)).toMatchObject({ active: true, source: 'graph' });
  });
});

describe('file download', () => {
  const local = { allowLoopback: true };
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** A server on `host` that counts its requests and answers each with `handle`. */
  async function listen(
    host: string,
    handle: Parameters<typeof createServer>[1],
  ): Promise<{ url: string; requests: () => number }> {
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      handle?.(req, res);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return { url: `http://${host}:${(server.address() as AddressInfo).port}`, requests: () => requests };
  }

  /**
   * Serves /ok, /big (honest content-length), /stream (no length, endless), /missing (404), /slow (never answers),
   * /hop (a redirect to /ok), /loop (a redirect to itself), /away?to=… (a redirect there).
   */
  async function serve(): Promise<{ url: string; sent: () => number }> {
    let sent = 0;
    const { url } = await listen('127.0.0.1', (req, res) => {
      if (req.url === '/ok') return void res.end('name,email\n');
      if (req.url === '/big')
        return void res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }).write(Buffer.alloc(1024));
      if (req.url === '/stream') {
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const push = () => {
          while (!res.destroyed && res.write(chunk)) sent += chunk.length;
          if (!res.destroyed) res.once('drain', push);
        };
        return push();
      }
      if (req.url === '/missing') return void res.writeHead(404).end();
      if (req.url === '/hop') return void res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/loop') return void res.writeHead(307, { location: '/loop' }).end();
      if (req.url?.startsWith('/away?to='))
        return void res.writeHead(302, { location: decodeURIComponent(req.url.slice('/away?to='.length)) }).end();
    });
    return { url, sent: () => sent };
  }

  it('downloads a file', async () => {
    const { url } = await serve();
    expect((await downloadFile(`${url}/ok`, 1024, local)).toString()).toBe('name,email\n');
  });

  it('refuses a file whose announced size is over the limit without reading it', async () => {
    const { url } = await serve();
    await expect(downloadFile(`${url}/big`, MAX_ROSTER_BYTES, local)).rejects.toMatchObject({
      reason: 'too-large',
      detail: MAX_ROSTER_BYTES,
      message: expect.stringMatching(/10 MB/),
    });
  });

  it('stops reading a stream as soon as it passes the limit', async () => {
    const { url, sent } = await serve();
    const error = await downloadFile(`${url}/stream`, 1024 * 1024, local).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ reason: 'too-large' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent()).toBeLessThan(8 * 1024 * 1024);
  });

  it('says what went wrong for an error status, a timeout and a bad address', async () => {
    const { url } = await serve();
    await expect(downloadFile(`${url}/missing`, 1024, local)).rejects.toMatchObject({ reason: 'status', detail: 404 });
    await expect(downloadFile(`${url}/slow`, 1024, { ...local, timeoutMs: 100 })).rejects.toMatchObject({
      reason: 'timeout',
    });
    await expect(downloadFile('not an address', 1024, local)).rejects.toMatchObject({ reason: 'bad-url' });
  });

  it.each([
    [
      'https://contoso-my.sharepoint.com/personal/anna_contoso_com/_layouts/15/download.aspx?UniqueId=1&tempauth=x',
      false,
      true,
    ],
    ['https://contoso.sharepoint.com/sites/hr/Shared%20Documents/roster.csv', false, true],
    ['http://contoso-my.sharepoint.com/personal/anna/download.aspx', false, false],
    ['https://contoso.sharepoint.com:8443/roster.csv', false, false],
    ['https://contoso.sharepoint.com.evil.example/roster.csv', false, false],
    ['https://contoso.sharepoint.com@evil.example/roster.csv', false, false],
    ['https://evil.example/roster.csv?host=contoso.sharepoint.com', false, false],
    ['https://sharepoint.com/roster.csv', false, false],
    ['file:///etc/passwd', true, false],
    ['http://127.0.0.1:3978/healthz', false, false],
    ['http://localhost:56150/files/1', false, false],
    ['http://[::1]:56150/files/1', false, false],
    ['http://127.0.0.1:56150/files/1', true, true],
    ['http://localhost:56150/files/1', true, true],
    ['http://[::1]:56150/files/1', true, true],
    ['http://127.0.0.2:56150/files/1', true, false],
    ['http://10.0.0.4/files/1', true, false],
  ])('%s (local mode %s): allowed %s', (url, allowLoopback, allowed) => {
    expect(isAllowedDownload(new URL(url), allowLoopback)).toBe(allowed);
  });

  it('never contacts a host that is not allowed, also when an allowed one redirects there', async () => {
    const { url } = await serve();
    const other = await listen('127.0.0.2', (_req, res) => void res.end('name,email\n'));
    await expect(downloadFile(`${other.url}/healthz`, 1024, local)).rejects.toMatchObject({ reason: 'refused' });
    await expect(
      downloadFile(`${url}/away?to=${encodeURIComponent(`${other.url}/healthz`)}`, 1024, local),
    ).rejects.toMatchObject({ reason: 'refused' });
    await expect(
      downloadFile(`${url}/away?to=${encodeURIComponent('http://contoso.sharepoint.com/roster.csv')}`, 1024, local),
    ).rejects.toMatchObject({ reason: 'refused' });
    expect(other.requests()).toBe(0);
  });

  it('refuses the loopback address outside local mode without a request', async () => {
    const own = await listen('127.0.0.1', (_req, res) => void res.end('{"status":"ok"}'));
    await expect(downloadFile(`${own.url}/healthz`, 1024, { allowLoopback: false })).rejects.toMatchObject({
      reason: 'refused',
    });
    expect(own.requests()).toBe(0);
  });

  it(`follows up to ${MAX_REDIRECTS} redirects between allowed addresses`, async () => {
    const { url } = await serve();
    expect((await downloadFile(`${url}/hop`, 1024, local)).toString()).toBe('name,email\n');
    await expect(downloadFile(`${url}/loop`, 1024, local)).rejects.toMatchObject({
      reason: 'refused',
      message: expect.stringMatching(/redirected more than 5 times/),
    });
  });
});
