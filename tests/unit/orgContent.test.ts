import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { ContentError } from '../../src/content/contentError.js';
import { loadContent, type Content } from '../../src/content/load.js';
import { CONTENT_DIR, DEFAULT_ORG } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';

const LESSON = path.join('lessons', '01-customer-sites.json');
const tempDir = useTempDirs('org');

/** A copy of the test organisation's folder, named "acme", to break. */
async function copyOrg(): Promise<string> {
  const dir = path.join(await tempDir(), 'acme');
  await cp(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'org'), dir, { recursive: true });
  return dir;
}

async function edit(file: string, change: (json: any) => void): Promise<void> {
  const json = JSON.parse(await readFile(file, 'utf8'));
  change(json);
  await writeFile(file, JSON.stringify(json));
}

async function problemsOf(contentDir: string, orgDir: string): Promise<string> {
  const error = await loadContent(contentDir, DEFAULT_ORG, orgDir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContentError);
  return (error as Error).message;
}

describe("the organisation's folder is checked like the standard course", () => {
  it('names the org lesson file and field that break a rule', async () => {
    const org = await copyOrg();
    await edit(path.join(org, 'en', LESSON), (l) => (l.title = 'x'.repeat(81)));
    await edit(path.join(org, 'nl', LESSON), (l) => l.questions[0].choices.pop());
    const problems = await problemsOf(CONTENT_DIR, org);
    expect(problems).toContain(
      'acme/en/lessons/01-customer-sites.json: title is 81 characters long; at most 80 are allowed',
    );
    expect(problems).toContain(
      'acme/nl/lessons/01-customer-sites.json: questions[0].choices must have 3 to 4 entries (has 2)',
    );
  });

  it('needs every org lesson in every course language, with the same structure', async () => {
    const org = await copyOrg();
    await rm(path.join(org, 'nl', LESSON));
    expect(await problemsOf(CONTENT_DIR, org)).toContain(
      'acme/nl/lessons/01-customer-sites.json: (file) is missing: en has it (missing translation)',
    );
    const other = await copyOrg();
    await edit(path.join(other, 'nl', LESSON), (l) => (l.covers = ['O2']));
    expect(await problemsOf(CONTENT_DIR, other)).toContain(
      'acme/nl/lessons/01-customer-sites.json: covers differs from en (["O2"] here, ["O1"] in en)',
    );
  });

  it('wants every O-id taught and tested, and O-ids only in the organisation folder', async () => {
    const org = await copyOrg();
    for (const language of ['en', 'nl'])
      await edit(path.join(org, language, LESSON), (l) => (l.questions[0].covers = ['G5']));
    expect(await problemsOf(CONTENT_DIR, org)).toContain(
      'acme/en/lessons/01-customer-sites.json: covers teaches O1, but no question tests it',
    );

    const content = path.join(await tempDir(), 'content');
    await cp(CONTENT_DIR, content, { recursive: true });
    await edit(path.join(content, 'en', 'lessons', '01-why-everyone.json'), (l) => l.covers.push('O1'));
    const problems = await problemsOf(content, await copyOrg());
    expect(problems).toContain('content/en/lessons/01-why-everyone.json: covers[');
    expect(problems).toContain(
      "is an organisation policy id (O1); those belong in the organisation's folder (POSTWISE_ORG_CONTENT)",
    );
  });

  it('names a left-out lesson that does not exist, an unknown field and summary lines missing in a language', async () => {
    const org = await copyOrg();
    await edit(path.join(org, 'org.json'), (o) => {
      o.leaveOut = ['08-other-peoples-work'];
      o.leavout = [];
      o.summary.nl = [];
    });
    const problems = await problemsOf(CONTENT_DIR, org);
    expect(problems).toContain('acme/org.json: leaveOut[0] names no standard lesson (got "08-other-peoples-work"');
    expect(problems).toContain('acme/org.json: leavout is not a field of org.json (leaveOut, summary, monitoring)');
    expect(problems).toContain('acme/org.json: summary.nl must have 1 to 5 entries (has 0)');
  });

  it('applies the length rule to the merged course', async () => {
    const org = await copyOrg();
    await edit(path.join(org, 'en', LESSON), (l) => {
      l.questions[0].choices[1].text += ' Then tell the point of contact what you posted, and where.';
    });
    expect(await problemsOf(CONTENT_DIR, org)).toContain(
      'acme/en/lessons/01-customer-sites.json: questions[0].choices give the answer away',
    );
  });

  it("changes the policy version when the organisation raises its lesson's revision, not when it edits a text", async () => {
    const org = await copyOrg();
    const before = await loadContent(CONTENT_DIR, DEFAULT_ORG, org);
    await edit(path.join(org, 'org.json'), (o) => (o.summary.en = ['Another line of our own.']));
    const edited = await loadContent(CONTENT_DIR, DEFAULT_ORG, org);
    expect(edited.version).toBe(before.version);
    expect(edited.courses.en.summary.at(-1)).toBe('Another line of our own.');
    for (const language of ['en', 'nl'])
      await edit(path.join(org, language, 'lessons', '01-customer-sites.json'), (l) => (l.revision = 2));
    expect((await loadContent(CONTENT_DIR, DEFAULT_ORG, org)).version).not.toBe(before.version);
  });
});

describe("the organisation's monitoring statement and privacy contact", () => {
  const MONITORING = {
    en: '{org} reads public reviews of {org}. Data leaks go to {privacyContact}.',
    nl: '{org} leest openbare recensies over {org}. Een datalek meld je bij {privacyContact}.',
  };

  /** A copy of the standard content: lesson 12 ends with the statement, its takeaway is the privacy contact. */
  async function contentShowingMonitoring(): Promise<string> {
    const dir = path.join(await tempDir(), 'content');
    await cp(CONTENT_DIR, dir, { recursive: true });
    for (const language of ['en', 'nl']) {
      await edit(path.join(dir, language, 'lessons', '12-monitoring.json'), (l) => {
        l.body = `${l.body.slice(0, 1000)}\n\n{monitoring}`;
        l.takeaway = '{privacyContact}';
      });
    }
    return dir;
  }
  const lesson12 = (content: Content, language: 'en' | 'nl') =>
    content.courses[language].lessons.find((l) => l.id === 'monitoring');

  it("shows org.json's statement with the organisation's names filled in", async () => {
    const org = await copyOrg();
    await edit(path.join(org, 'org.json'), (o) => (o.monitoring = MONITORING));
    const names = { ...DEFAULT_ORG, name: 'Acme', contactName: 'Jan de Vries', privacyContact: 'Priya Shah' };
    const content = await loadContent(await contentShowingMonitoring(), names, org);
    expect(lesson12(content, 'en')?.body.split('\n\n').at(-1)).toBe(
      'Acme reads public reviews of Acme. Data leaks go to Priya Shah.',
    );
    expect(lesson12(content, 'nl')?.body.split('\n\n').at(-1)).toBe(
      'Acme leest openbare recensies over Acme. Een datalek meld je bij Priya Shah.',
    );
    expect(lesson12(content, 'nl')?.takeaway).toBe('Priya Shah');
    expect(content.monitoringDefault).toBe(false);
  });

  it("takes the statement from the settings, else ui.json's; the privacy contact defaults to the contact", async () => {
    const dir = await contentShowingMonitoring();
    const fromSettings = await loadContent(dir, { ...DEFAULT_ORG, name: 'Acme', monitoring: MONITORING });
    expect(lesson12(fromSettings, 'en')?.body.split('\n\n').at(-1)).toBe(
      'Acme reads public reviews of Acme. Data leaks go to the communications team.',
    );
    expect(fromSettings.monitoringDefault).toBe(false);

    const byDefault = await loadContent(dir, { ...DEFAULT_ORG, contactName: 'Jan de Vries' });
    expect(byDefault.monitoringDefault).toBe(true);
    for (const language of ['en', 'nl'] as const) {
      const lesson = lesson12(byDefault, language);
      expect(lesson?.takeaway).toBe('Jan de Vries');
      const statement = lesson?.body.split('\n\n').at(-1) ?? '';
      expect(statement).toContain('Jan de Vries');
      expect(statement).toMatch(/^[A-Z][^{}]{40,}$/);
    }
  });

  it('names org.json and the field for a statement missing a language, too long or with other {…}', async () => {
    const org = await copyOrg();
    await edit(path.join(org, 'org.json'), (o) => (o.monitoring = { en: 'x'.repeat(601) }));
    const problems = await problemsOf(CONTENT_DIR, org);
    expect(problems).toContain('acme/org.json: monitoring.en is 601 characters long; at most 600 are allowed');
    expect(problems).toContain('acme/org.json: monitoring.nl is missing or empty');
    await edit(path.join(org, 'org.json'), (o) => (o.monitoring = { ...MONITORING, nl: 'Zie {policyUrl}.' }));
    expect(await problemsOf(CONTENT_DIR, org)).toContain(
      'acme/org.json: monitoring.nl uses an unknown placeholder {policyUrl}',
    );
  });

  it('refuses to start when both org.json and the settings give a statement, naming both', async () => {
    const org = await copyOrg();
    await edit(path.join(org, 'org.json'), (o) => (o.monitoring = MONITORING));
    const settings = { ...DEFAULT_ORG, monitoring: MONITORING };
    const error = await loadContent(CONTENT_DIR, settings, org).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContentError);
    expect((error as Error).message).toContain(
      'acme/org.json: monitoring is set, and so are POSTWISE_MONITORING_EN and _NL',
    );
  });
});
