import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { loadContent } from '../../src/content/load.js';
import { fill } from '../../src/content/ui.js';
import { parseRosterCsv } from '../../src/directory/csvRoster.js';
import { systemClock } from '../../src/domain/time/clock.js';
import { RosterService } from '../../src/domain/roster/rosterService.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { PlaygroundSession } from './playgroundSession.js';

/**
 * The README's sample roster: the Playground's own users, with the Entra object ids scripts/playground.yml gives them.
 */
async function loadSampleRoster(dataFile: string): Promise<number> {
  const parsed = parseRosterCsv(await readFile(path.join(PROJECT_ROOT, 'docs', 'sample-roster.csv')));
  const stores = await openLowdbStores(dataFile, new Date());
  try {
    await new RosterService(stores.roster, systemClock).apply(
      parsed.rows.map((r) => r.row),
      'csv',
    );
  } finally {
    await stores.close();
  }
  return parsed.rows.length;
}

describe('HR in the Microsoft 365 Agents Playground, in chromium', () => {
  it("shows the Playground's user, listed as HR by e-mail, the roster, coverage and a campaign that reaches everyone on the sample roster", async () => {
    let people = 0;
    const session = await PlaygroundSession.open('hr', {
      env: { POSTWISE_HR_USERS: 'alexw@example.com' },
      prepare: async (dataFile) => {
        people = await loadSampleRoster(dataFile);
      },
    });
    try {
      const config = loadConfig({});
      const content = await loadContent(config.contentDir, config.org);
      const ui = content.ui.en;
      await session.cardWithHeading(fill(ui.welcomeTitle, { course: content.courses.en.title })).waitFor();

      await session.send('roster');
      const roster = session.cardWithHeading(ui.rosterTitle);
      await roster.getByText(String(people), { exact: true }).first().waitFor();
      await session.screenshot('roster', roster);

      await session.send('coverage');
      const coverage = session.cardWithHeading(ui.coverageTitle);
      await coverage
        .getByText(
          fill(ui.coverageSummary, {
            completed: 0,
            active: people,
            percent: 0,
            version: content.courses.en.versionName,
          }),
          { exact: true },
        )
        .waitFor();
      await coverage.getByText('Warehouse', { exact: true }).first().waitFor();
      await session.screenshot('coverage', coverage);
      await session.screenshot('coverage-departments', coverage.getByText(ui.byDepartment, { exact: true }));

      await session.send('campaign');
      const form = session.cardWithHeading(ui.campaignFormTitle);
      await form.getByText(ui.audEveryone, { exact: true }).waitFor();
      await session.screenshot('campaign', form);

      // The due date starts two weeks ahead: Preview, then Send, to everyone on the sample roster.
      await form.getByRole('button', { name: ui.preview, exact: true }).click();
      const preview = session.cardWithHeading(ui.previewTitle);
      await preview.getByText(fill(ui.previewRecipients, { count: people }), { exact: true }).waitFor();
      await session.screenshot('campaign-preview', preview);
      await preview.getByRole('button', { name: ui.sendCampaign, exact: true }).click();
      const status = session.cards
        .filter({ has: session.page.getByRole('button', { name: ui.refresh, exact: true }) })
        .last();
      await status.waitFor();
      const reached = new RegExp(`${ui.campaignSent}\\s+${people}\\b`);
      for (let tries = 0; !reached.test(await status.innerText()) && tries < 30; tries++) {
        await session.page.waitForTimeout(1000);
        await status.getByRole('button', { name: ui.refresh, exact: true }).click();
      }
      expect(await status.innerText()).toMatch(reached);
      expect(await status.innerText()).not.toContain(ui.campaignUnreachableList);
      await session.screenshot('campaign-sent', status);
    } catch (error) {
      const messages = await session.saveFailure();
      console.error(
        `The HR run failed; screenshots and logs are in ${session.artifacts}. What the page showed:\n${messages}`,
      );
      throw error;
    } finally {
      await session.close();
    }
  });
});
