import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/load.js';
import { fill } from '../../src/content/ui.js';
import { PLAYGROUND_BOT, PlaygroundSession } from './playgroundSession.js';

const QUESTION = 'May I post a photo of our new office on LinkedIn?';
const PLAIN_REPLY = 'A plain reply, without mentioning the bot.';
const ANSWER = 'Yes, as long as no screens, papers or people are in it.';

describe('the point of contact in the Microsoft 365 Agents Playground, in chromium', () => {
  it("chooses the team channel, gets an anonymous question as a thread there, and answers it into the employee's chat", async () => {
    const session = await PlaygroundSession.open('channel', { env: { POSTWISE_CONTACT_ADMINS: 'alexw@example.com' } });
    try {
      const config = loadConfig({});
      const content = await loadContent(config.contentDir, config.org);
      const ui = content.ui.en;
      const s = session;
      // The bot learns the personal chat when the Playground installs it there.
      await s.cardWithHeading(fill(ui.welcomeTitle, { course: content.courses.en.title })).waitFor();

      // "@Test Bot contact here" typed out is text without a mention: the bot never hears it.
      await s.go('channel');
      await s.compose(s.newPost, `@${PLAYGROUND_BOT} contact here`);
      await s.page.keyboard.press('Escape');
      await s.newPost.getByRole('button', { name: 'Post', exact: true }).click();
      const typedOut = s.thread(s.page.getByText(`@${PLAYGROUND_BOT} contact here`, { exact: true }));
      await typedOut.waitFor();

      // Picked from the @ list, it is a mention, and the channel becomes the contact channel.
      await s.compose(s.newPost, 'contact here', { mention: true });
      await s.newPost.getByRole('button', { name: 'Post', exact: true }).click();
      const chosen = s.thread(s.page.getByText(ui.contactSet, { exact: true }));
      await chosen.waitFor();
      await s.screenshot('contact-here', chosen);
      expect(await typedOut.getByText(PLAYGROUND_BOT, { exact: true }).count()).toBe(0);

      // The employee asks anonymously in the personal chat.
      await s.go('personal');
      await s.send('ask');
      const ask = s.cardWithHeading(ui.askTitle);
      await ask.getByRole('textbox').fill(QUESTION);
      await ask.getByRole('checkbox').check();
      await s.screenshot('ask', ask);
      await ask.getByRole('button', { name: ui.send, exact: true }).click();
      const sent = s.page.getByText(fill(ui.askSent, { number: 1 }), { exact: true }).last();
      await sent.waitFor();
      await s.screenshot('asked', sent);

      // The question is a thread of its own in the channel, without the asker's name.
      await s.go('channel');
      const ticket = s.cardWithHeading(fill(ui.ticketQuestion, { number: 1 }));
      await ticket.getByText(QUESTION, { exact: true }).waitFor();
      await ticket.getByText(ui.anEmployee, { exact: true }).waitFor();
      expect(await ticket.getByText('Alex Wilber').count()).toBe(0);
      await s.screenshot('thread', ticket);

      // A plain reply stays in the channel (the Playground does not pass it to the bot, unlike Teams
      // with the app's RSC permission); a reply that @mentions the bot goes to the employee.
      const thread = s.thread(ticket);
      await s.compose(thread, PLAIN_REPLY);
      await thread.getByRole('button', { name: 'Send Message', exact: true }).click();
      await thread.getByText(PLAIN_REPLY, { exact: true }).waitFor();
      await s.compose(thread, ANSWER, { mention: true });
      await thread.getByRole('button', { name: 'Send Message', exact: true }).click();
      await thread.getByText(ANSWER, { exact: false }).waitFor();
      await s.screenshot('replies', thread);

      // The employee gets the mentioned answer in their chat, with a Reply button; the plain reply never arrives.
      await s.go('personal');
      const answer = s.cards.filter({ hasText: fill(ui.answerTitle, { number: 1, name: 'Alex Wilber' }) });
      await answer.getByText(ANSWER, { exact: true }).waitFor();
      await answer.getByRole('button', { name: ui.reply, exact: true }).waitFor();
      await s.screenshot('answer', answer);
      expect(await s.cards.filter({ hasText: PLAIN_REPLY }).count()).toBe(0);
      expect(await s.cards.filter({ hasText: fill(ui.answerTitle, { number: 1, name: 'Alex Wilber' }) }).count()).toBe(
        1,
      );
    } catch (error) {
      const messages = await session.saveFailure();
      console.error(
        `The channel run failed; screenshots and logs are in ${session.artifacts}. What the page showed:\n${messages}`,
      );
      throw error;
    } finally {
      await session.close();
    }
  });
});
