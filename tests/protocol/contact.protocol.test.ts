import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardsOf } from '../support/fakeConnector.js';
import { validCards } from '../support/cardSchema.js';
import {
  actionsOf,
  cardText,
  ChannelMember,
  shown,
  startHarness,
  type BotHarness,
  type HttpResult,
  type TestUser,
} from '../support/harness.js';
import { handClock } from '../support/handClock.js';
import { HR_ID, hrInChannel, hrUser } from '../support/hrPeople.js';

const CONTACT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

const ENV = {
  POSTWISE_HR_USERS: `${HR_ID}, hr@contoso.example`,
  POSTWISE_CONTACT_ID: CONTACT_ID,
  POSTWISE_CONTACT_NAME: 'Sanne Jansen',
};

let h: BotHarness;
let clock: ReturnType<typeof handClock>;
let hr: ChannelMember;
let sanne: ChannelMember;

/** Starts the bot on `clock` with Sanne as the point of contact, and HR and Sanne in its channel. */
async function startBot(env: Record<string, string> = {}): Promise<void> {
  h = await startHarness({
    clock,
    env: { ...ENV, ...env },
  });
  hr = hrInChannel(h);
  sanne = Object.assign(new ChannelMember(h, 'Sanne Jansen'), { aadObjectId: CONTACT_ID });
}

beforeEach(async () => {
  clock = handClock('2026-11-02T08:00:00Z'); // Monday 09:00 in Amsterdam
  await startBot();
});
afterEach(() => h.close());

const channelId = '19:contact-channel@thread.tacv2';

async function ask(
  user: TestUser,
  text: string,
  options: { anonymous?: boolean; category?: string } = {},
): Promise<{ result: HttpResult; thread: string }> {
  const card = validCards(await user.say('ask')).cards[0] as Record<string, unknown>;
  const result = validCards(
    await user.press(card, 'askSend', {
      text,
      category: options.category ?? 'policy',
      anonymous: options.anonymous ? 'yes' : 'no',
    }),
  );
  const created = result.calls.find((c) => c.parameters !== undefined);
  return { result, thread: created?.conversationId ?? '' };
}

describe('choosing the contact channel', () => {
  it('is refused to anyone but HR or a contact admin, and changes nothing', async () => {
    const outsider = new ChannelMember(h, 'Random Person');
    const refused = await outsider.mention('contact here');
    expect(refused.texts[0]).toContain('only HR or a contact administrator');
    expect(await h.stores.settings.contactChannel()).toBeUndefined();
  });

  it('is stored when HR says "contact here", confirmed in the channel, and not moved by others', async () => {
    const confirmed = await hr.mention('contact here');
    expect(confirmed.texts[0]).toContain('will arrive in this channel');
    expect(confirmed.calls[0]?.conversationId.startsWith(channelId)).toBe(true);
    expect(await h.stores.settings.contactChannel()).toMatchObject({
      channelId,
      teamId: '19:team-general@thread.tacv2',
      setBy: HR_ID,
    });

    const elsewhere = new ChannelMember(h, 'Random Person', '19:other@thread.tacv2');
    await elsewhere.mention('contact hier');
    expect((await h.stores.settings.contactChannel())?.channelId).toBe(channelId);
  });

  it('accepts an HR user listed by e-mail, looked up through Teams', async () => {
    const byMail = new ChannelMember(h, 'Mail HR');
    h.connector.members.set(byMail.teamsId, {
      id: byMail.teamsId,
      name: 'Mail HR',
      email: 'HR@contoso.example',
      userPrincipalName: 'hr@contoso.example',
    });
    expect((await byMail.mention('contact here')).texts[0]).toContain('will arrive in this channel');
  });

  it('ignores channel chatter that is not for the bot, and helps when mentioned', async () => {
    const member = new ChannelMember(h, 'Someone');
    expect((await member.replyIn(`${channelId};messageid=42`, 'lunch anyone?')).calls).toEqual([]);
    expect((await member.mention('what can you do?')).texts[0]).toContain('contact here');
  });
});

describe('a question, from asking to resolving', () => {
  it('goes to a new thread, comes back as an answer, carries replies, and is resolved and reopened', async () => {
    await hr.mention('contact here');
    const anna = h.user({ name: 'Anna de Vries' });
    await anna.install();

    const { result: sent, thread } = await ask(anna, 'May I share a photo of our office party?', {
      category: 'post-check',
    });
    // The Ask card becomes the confirmation, with the question as sent; no second message says it again.
    expect(shown(sent)).toContain('Your question #1 went to Sanne Jansen. The answer will appear here.');
    expect(shown(sent)).toContain('May I share a photo of our office party?');
    expect(sent.texts).toEqual([]);
    const create = sent.calls.find((c) => c.parameters);
    expect(create?.parameters).toMatchObject({ isGroup: true, channelData: { channel: { id: channelId } } });
    const ticket = cardText(cardsOf(create?.activity ?? {})[0]);
    expect(ticket).toContain('Question #1');
    expect(ticket).toContain('May I share a photo of our office party?');
    expect(ticket).toContain('Anna de Vries');
    expect(ticket).toContain('Is this post OK?');
    expect(ticket).toContain('Open');

    // The contact answers in the thread: the answer reaches Anna's personal chat.
    const answered = validCards(await sanne.replyIn(thread, 'Yes, if everyone in it agrees.'));
    expect(answered.calls.map((c) => c.method)).toEqual(['POST', 'PUT']);
    expect(answered.calls[0]?.conversationId).toBe(anna.conversationId);
    const answerCard = answered.cards[0] as Record<string, unknown>;
    // The ticket card at the top of the thread no longer says "Open".
    const updated = answered.calls[1];
    expect(updated).toMatchObject({ conversationId: thread, activityId: thread.split(';messageid=')[1] });
    const status = cardText(cardsOf(updated?.activity ?? {})[0]);
    expect(status).toContain('Question #1');
    expect(status).toContain('Answered by Sanne Jansen');
    expect(status).not.toContain('Open');
    expect(cardText(answerCard)).toContain('Answer to your question #1 from Sanne Jansen');
    expect(cardText(answerCard)).toContain('Yes, if everyone in it agrees.');

    // Anna replies from the answer card: the reply is appended to the thread, once.
    const replied = await anna.press(answerCard, 'ticketReply', { text: 'Thanks! And a video?' });
    expect(shown(replied)).toBe('Your reply to #1 went to Sanne Jansen.');
    expect(replied.texts).toEqual([]);
    const appended = replied.calls.find((c) => c.conversationId === thread);
    expect(cardText(cardsOf(appended?.activity ?? {})[0])).toContain('Thanks! And a video?');
    const again = await anna.press(answerCard, 'ticketReply', { text: 'Thanks! And a video?' });
    expect(again.calls.filter((c) => c.conversationId === thread)).toEqual([]);

    // A second round.
    const second = await sanne.replyIn(thread, 'Video too, same rule.');
    expect(cardText(second.cards[0])).toContain('Video too, same rule.');

    // Claim and resolve update the ticket card in place.
    const claimed = validCards(await sanne.click(thread, 'ticketClaim', { ticket: 1 }));
    expect(cardText(claimed.body.value)).toContain('Answered by Sanne Jansen');
    expect((claimed.body.value.actions as { verb: string }[]).map((a) => a.verb)).not.toContain('ticketClaim');
    const resolved = validCards(await sanne.click(thread, 'ticketResolve', { ticket: 1 }));
    expect(cardText(resolved.body.value)).toContain('Resolved by Sanne Jansen');
    const notice = resolved.cards[0] as Record<string, unknown>;
    expect(resolved.calls[0]?.conversationId).toBe(anna.conversationId);
    expect(cardText(notice)).toContain('#1 has been marked as resolved');

    // Anna reopens it: the ticket card is updated in place and the thread is told.
    const reopened = validCards(await anna.press(notice, 'ticketReopen'));
    expect(shown(reopened)).toBe('Question #1 is open again.');
    expect(reopened.calls.filter((c) => c.conversationId === anna.conversationId)).toEqual([]);
    const put = reopened.calls.find((c) => c.method === 'PUT');
    expect(put?.conversationId).toBe(thread);
    expect(put?.activityId).toBe(thread.split(';messageid=')[1]);
    expect(cardText(cardsOf(put?.activity ?? {})[0])).toContain('Answered by Sanne Jansen');
    expect(actionsOf(cardsOf(put?.activity ?? {})[0] as Record<string, unknown>).map((a) => a.verb)).toContain(
      'ticketResolve',
    );
  });

  it('never relays the bot itself, nor replies in threads the bot did not start', async () => {
    await hr.mention('contact here');
    const { thread } = await ask(h.user(), 'Question?');
    const bot = await h.post({
      ...sanne.activity(thread, { type: 'message', text: 'Bot echo' }),
      from: { id: '28:postwise-bot', name: 'Postwise' },
    });
    expect(bot.calls).toEqual([]);
    expect((await sanne.replyIn(`${channelId};messageid=999999`, 'unrelated thread')).calls).toEqual([]);
  });

  it('sends one question however often Send is clicked', async () => {
    await hr.mention('contact here');
    const user = h.user();
    const card = (await user.say('vraag')).cards[0] as Record<string, unknown>;
    const first = await user.press(card, 'askSend', { text: 'Once?', category: 'other', anonymous: 'no' });
    const second = await user.press(card, 'askSend', { text: 'Once?', category: 'other', anonymous: 'no' });
    expect(first.calls.filter((c) => c.parameters)).toHaveLength(1);
    expect(second.calls).toEqual([]);
    expect(shown(second)).toContain('#1');
    expect(await h.stores.tickets.unresolved()).toHaveLength(1);
  });

  it('delivers on a retry when the first delivery failed, and only then', async () => {
    await hr.mention('contact here');
    const user = h.user();
    const card = (await user.say('ask')).cards[0] as Record<string, unknown>;
    h.connector.refuseThreads = 1;
    const failed = await user.press(card, 'askSend', { text: 'Lost?', category: 'other', anonymous: 'no' });
    expect(failed.texts).toEqual(['Sorry, something went wrong on our side. Please try again in a moment.']);
    const retried = await user.press(card, 'askSend', { text: 'Lost?', category: 'other', anonymous: 'no' });
    expect(retried.calls.filter((c) => c.parameters)).toHaveLength(1);
    expect(shown(retried)).toContain('Your question #1 went to Sanne Jansen. The answer will appear here.');
    expect((await h.stores.tickets.get(1))?.thread).toBeDefined();
  });
});

describe('anonymous questions', () => {
  it('never show who asked anywhere on the channel side, nor in the log', async () => {
    await hr.mention('contact here');
    const marieke = h.user({ name: 'Marieke Zwartbroek' });
    await marieke.install();
    const { thread } = await ask(marieke, 'Can I complain about a customer on my private account?', {
      anonymous: true,
    });
    await sanne.replyIn(thread, 'Better not.');
    const answer = h.connector.calls.filter((c) => c.conversationId === marieke.conversationId).at(-1)?.activity ?? {};
    const card = cardsOf(answer)[0] as Record<string, unknown>;
    await marieke.press(card, 'ticketReply', { text: 'Understood.' });
    await sanne.click(thread, 'ticketClaim', { ticket: 1 });
    await sanne.click(thread, 'ticketResolve', { ticket: 1 });

    const channelSide = JSON.stringify(h.connector.calls.filter((c) => c.conversationId.startsWith(channelId)));
    expect(channelSide).toContain('an employee');
    for (const secret of ['Marieke', 'Zwartbroek', marieke.aadObjectId, marieke.teamsId, marieke.conversationId]) {
      expect(channelSide).not.toContain(secret);
      expect(h.log.lines.join('\n')).not.toContain(secret);
    }
    expect(cardText(cardsOf(answer)[0])).toContain('Better not.');
    expect((await h.stores.tickets.get(1))?.askerName).toBeUndefined();
  });
});

describe('tickets refuse actions from the wrong place', () => {
  it('claim or resolve from a personal chat, another channel, or for a ticket that does not exist', async () => {
    await hr.mention('contact here');
    const user = h.user();
    const { thread } = await ask(user, 'Hello?');
    const fromChat = await user.click('ticketClaim', { ticket: 1 });
    expect(shown(fromChat)).toContain('in the contact channel');
    const stranger = new ChannelMember(h, 'Other Team', '19:other@thread.tacv2', '19:other-team@thread.tacv2');
    const fromOtherTeam = await stranger.click(
      `19:other@thread.tacv2;messageid=${thread.split('=')[1]}`,
      'ticketResolve',
      { ticket: 1 },
    );
    expect(shown(fromOtherTeam)).toContain('in the thread of the question or report');
    const wrongThread = await sanne.click(`${channelId};messageid=123`, 'ticketResolve', { ticket: 1 });
    expect(shown(wrongThread)).toContain('in the thread of the question or report');
    const unknown = await sanne.click(thread, 'ticketClaim', { ticket: 999 });
    expect(shown(unknown)).toContain('cannot find that question or report');
    expect((await h.stores.tickets.get(1))?.status).toBe('open');
    const notTheAsker = await h.user().click('ticketReopen', { ticket: 1 });
    expect(shown(notTheAsker)).toContain('cannot find that question or report');
  });
});

describe('bad questions and reports', () => {
  it.each([
    ['an empty question', ''],
    ['an over-long question', 'x'.repeat(1001)],
  ])('%s gets a clear answer and creates nothing', async (_name, text) => {
    await hr.mention('contact here');
    const user = h.user();
    const card = (await user.say('ask')).cards[0] as Record<string, unknown>;
    const result = await user.press(card, 'askSend', { text, category: 'policy', anonymous: 'no' });
    expect(shown(result)).toContain('at most 1000 characters');
    expect(result.calls).toEqual([]);
    expect(await h.stores.tickets.unresolved()).toEqual([]);
  });

  it('shows markdown, HTML and mentions in a question as plain text', async () => {
    await hr.mention('contact here');
    const { result } = await ask(h.user(), '[click](javascript:alert(1)) **bold** <at>Sanne Jansen</at> <b>x</b>');
    const card = cardsOf(result.calls.find((c) => c.parameters)?.activity ?? {})[0] as Record<string, unknown>;
    const body = JSON.stringify(card.body);
    expect(body).toContain(
      '"type":"TextRun","text":"[click](javascript:alert(1)) **bold** ‹at›Sanne Jansen‹/at› <b>x</b>"',
    );
    expect((card.msteams as { entities: unknown[] }).entities).toEqual([]);
  });

  it('refuses a report link that is not http or https, and sends nothing', async () => {
    await hr.mention('contact here');
    const user = h.user();
    const card = (await user.say('melden')).cards[0] as Record<string, unknown>;
    const result = await user.press(card, 'reportSend', {
      text: 'A colleague is attacked online',
      link: 'javascript:alert(1)',
      urgency: 'urgent',
    });
    expect(shown(result)).toContain('http://');
    expect(result.calls).toEqual([]);
  });
});

describe('reporting a situation', () => {
  it('opens a report thread that @mentions the contact when urgent, and gives the employee the protocol', async () => {
    await hr.mention('contact here');
    const user = h.user();
    const card = validCards(await user.say('report')).cards[0] as Record<string, unknown>;
    // Before sending, the card says the name goes with it, and why.
    expect(cardText(card)).toContain('Your name is sent with your report, so that Sanne Jansen can reach you');
    const result = validCards(
      await user.press(card, 'reportSend', {
        text: 'A video from the warehouse is going round',
        link: 'https://social.example/v/1',
        urgency: 'urgent',
      }),
    );
    const thread = cardsOf(result.calls.find((c) => c.parameters)?.activity ?? {})[0] as Record<string, unknown>;
    expect(cardText(thread)).toContain(user.name);
    expect(cardText(thread)).toContain('Report #1 · Urgent report');
    expect(cardText(thread)).toContain('https://social.example/v/1');
    expect(cardText(thread)).toContain('<at>Sanne Jansen</at>');
    expect(thread.msteams).toMatchObject({
      entities: [{ type: 'mention', text: '<at>Sanne Jansen</at>', mentioned: { id: CONTACT_ID } }],
    });
    expect(shown(result)).toContain('Report #1 went to Sanne Jansen');
    expect(shown(result)).toContain('do not respond yourself, and do not delete anything');
    expect(result.texts).toEqual([]);
  });
});

describe('the FAQ', () => {
  it('takes an answered question, edited by the contact, and shows it to employees in its language', async () => {
    await hr.mention('contact here');
    const { thread } = await ask(h.user(), 'Can I post about my work on LinkedIn?');
    expect(shown(await sanne.click(thread, 'faqEdit', { ticket: 1 }))).toContain(
      'Answer the question in the thread first',
    );
    await sanne.replyIn(thread, 'Yes, as long as you say you speak for yourself.');
    const edit = validCards(await sanne.click(thread, 'faqEdit', { ticket: 1 }));
    const text = cardText(edit.body.value);
    expect(text).toContain('Can I post about my work on LinkedIn?');
    expect(text).toContain('Yes, as long as you say you speak for yourself.');
    const published = await sanne.click(thread, 'faqPublish', {
      ticket: 1,
      question: 'May I post about my work?',
      answer: 'Yes: say that you speak for yourself.',
      language: 'en',
    });
    const card = validCards(published).body.value;
    // The ticket card stays what it was and says it is in the FAQ.
    expect(cardText(card)).toContain('Question #1');
    expect(cardText(card)).toContain('Can I post about my work on LinkedIn?');
    expect(cardText(card)).toContain('Answered by Sanne Jansen · in the FAQ');
    expect(card.actions.map((a: { verb: string }) => a.verb)).toEqual(['ticketClaim', 'ticketResolve']);

    const faq = cardText(validCards(await h.user().say('faq')).cards[0]);
    expect(faq).toContain('May I post about my work?');
    expect(faq).toContain('Yes: say that you speak for yourself.');
    expect(cardText((await h.user({ locale: 'nl-NL' }).say('faq')).cards[0])).toContain('nog geen veelgestelde vragen');
  });
});

describe('nudges', () => {
  it('nudges the thread once when a question has no answer after 8 working hours', async () => {
    await hr.mention('contact here');
    const { thread } = await ask(h.user(), 'Still waiting?');
    const { thread: answeredThread } = await ask(h.user(), 'Answered quickly?');
    await sanne.replyIn(answeredThread, 'Done.');

    clock.set('2026-11-02T15:30:00Z'); // 16:30 in Amsterdam: 7.5 working hours
    expect(await h.app.sendDueNudges()).toBe(0);
    clock.set('2026-11-03T08:30:00Z'); // Tuesday 09:30: 8.5 working hours
    const before = h.connector.calls.length;
    expect(await h.app.sendDueNudges()).toBe(1);
    const nudge = h.connector.calls.slice(before);
    expect(nudge.map((c) => c.conversationId)).toEqual([thread]);
    expect(cardText(cardsOf(nudge[0]?.activity ?? {})[0])).toContain('No answer here yet after 8 working hours');
    expect(await h.app.sendDueNudges()).toBe(0);
  });

  it('is posted once when two instances that both think they lead nudge at the same time', async () => {
    await hr.mention('contact here');
    const { thread } = await ask(h.user(), 'Anyone there?');
    const other = await startHarness({ clock, stores: h.stores, connector: h.connector, env: ENV });
    try {
      clock.set('2026-11-03T08:30:00Z');
      const before = h.connector.calls.length;
      const sent = await Promise.all([h.app.sendDueNudges(), other.app.sendDueNudges()]);
      expect(sent.sort()).toEqual([0, 1]);
      expect(h.connector.calls.slice(before).map((c) => c.conversationId)).toEqual([thread]);
      expect(await Promise.all([h.app.sendDueNudges(), other.app.sendDueNudges()])).toEqual([0, 0]);
    } finally {
      await other.close();
    }
  });
});

/** Starts the bot again with its channel side in `language`, and the same people. */
async function restartIn(language: 'en' | 'nl', env: Record<string, string> = {}): Promise<void> {
  await h.close();
  await startBot({ POSTWISE_DEFAULT_LANGUAGE: language, ...env });
}

const LANGUAGES = [
  {
    language: 'en' as const,
    locale: 'en-US',
    here: 'contact here',
    ask: 'ask',
    report: 'report',
    hr: 'hr',
    questionSaved:
      'Your question #1 is saved; it will reach Sanne Jansen as soon as the channel for questions is set up.',
    reportSaved: 'Your report #2 is saved; it will reach Sanne Jansen as soon as the channel for reports is set up.',
    protocol: 'do not respond yourself',
    noChannel: 'No contact channel is set yet',
    howToSet: 'add **contact here**',
    questionSent: 'Your question #1 went to Sanne Jansen.',
    waited: 'waiting for this channel: 2',
    question: 'Question #1',
    report2: 'Report #2 · Urgent report',
    anEmployee: 'an employee',
    answered: 'Answered by Sanne Jansen',
    inFaq: 'Answered by Sanne Jansen · in the FAQ',
    anonymously: 'Ask anonymously',
  },
  {
    language: 'nl' as const,
    locale: 'nl-NL',
    here: 'contact hier',
    ask: 'vraag',
    report: 'melden',
    hr: 'hr',
    questionSaved: 'Je vraag #1 is bewaard. Zodra het kanaal voor vragen is ingesteld, gaat hij naar Sanne Jansen.',
    reportSaved: 'Je melding #2 is bewaard. Zodra het kanaal voor meldingen is ingesteld, gaat hij naar Sanne Jansen.',
    protocol: 'reageer niet zelf',
    noChannel: 'Er is nog geen kanaal voor het aanspreekpunt ingesteld',
    howToSet: 'voeg **contact hier** toe',
    questionSent: 'Je vraag #1 is naar Sanne Jansen gegaan.',
    waited: 'op dit kanaal wachtten: 2',
    question: 'Vraag #1',
    report2: 'Melding #2 · Dringende melding',
    anEmployee: 'een medewerker',
    answered: 'Beantwoord door Sanne Jansen',
    inFaq: 'Beantwoord door Sanne Jansen · in de FAQ',
    anonymously: 'Anoniem vragen',
  },
];

describe.each(LANGUAGES)('before a contact channel is chosen ($language)', (l) => {
  it('keeps questions and reports, tells the employee and HR, and posts them in order once a channel is chosen', async () => {
    await restartIn(l.language);
    const hrChat = hrUser(h, l.locale);
    const help = (await hrChat.say(l.hr)).texts.join('\n');
    expect(help).toContain(l.noChannel);
    expect(help).toContain(l.howToSet);

    const marieke = h.user({ locale: l.locale, name: 'Marieke Zwartbroek' });
    await marieke.install();
    const askCard = validCards(await marieke.say(l.ask)).cards[0] as Record<string, unknown>;
    const inputs = { text: 'May I post the team photo?', category: 'post-check', anonymous: 'yes' };
    const asked = validCards(await marieke.press(askCard, 'askSend', inputs));
    expect(shown(asked)).toContain(l.questionSaved);
    expect(shown(asked)).toContain('May I post the team photo?');
    expect(asked.calls).toEqual([]);

    const piet = h.user({ locale: l.locale, name: 'Piet Bakker' });
    const reportCard = validCards(await piet.say(l.report)).cards[0] as Record<string, unknown>;
    const reported = validCards(
      await piet.press(reportCard, 'reportSend', { text: 'A nasty video about us', link: '', urgency: 'urgent' }),
    );
    expect(shown(reported)).toContain(l.reportSaved);
    expect(shown(reported)).toContain(l.protocol);
    expect(reported.calls).toEqual([]);
    expect((await h.stores.tickets.unresolved()).map((t) => [t.number, t.thread])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);

    // HR chooses the channel: both arrive, oldest first, each in a thread of its own.
    const chosen = validCards(await hr.mention(l.here));
    const threads = chosen.calls.filter((c) => c.parameters);
    expect(threads).toHaveLength(2);
    const [first, second] = threads.map((c) => cardText(cardsOf(c.activity)[0]));
    expect(first).toContain(l.question);
    expect(first).toContain('May I post the team photo?');
    expect(first).toContain(l.anEmployee);
    expect(second).toContain(l.report2);
    expect(second).toContain('<at>Sanne Jansen</at>');
    expect(new Set(threads.map((c) => c.conversationId)).size).toBe(2);
    expect(chosen.texts.at(-1)).toContain(l.waited);
    const channelSide = JSON.stringify(h.connector.calls.filter((c) => c.conversationId.startsWith(channelId)));
    for (const secret of ['Marieke', 'Zwartbroek', marieke.aadObjectId, marieke.teamsId])
      expect(channelSide).not.toContain(secret);
    expect((await hrChat.say(l.hr)).texts.join('\n')).not.toContain(l.noChannel);

    // The answer finds its way back; a second click on the old card only confirms.
    const thread = (await h.stores.tickets.get(1))?.thread?.conversationId ?? '';
    const answered = await sanne.replyIn(thread, 'Yes, if everyone agrees.');
    expect(answered.calls[0]?.conversationId).toBe(marieke.conversationId);
    const again = await marieke.press(askCard, 'askSend', inputs);
    expect(shown(again)).toContain(l.questionSent);
    expect(again.calls).toEqual([]);
  });
});

describe('questions waiting for a channel', () => {
  it('stay waiting, in order, when Teams refuses their thread, and are posted on the next try', async () => {
    await ask(h.user(), 'First?');
    await ask(h.user(), 'Second?');
    h.connector.refuseThreads = 1;
    const chosen = await hr.mention('contact here');
    expect(chosen.texts).toEqual([
      'Done: questions and reports from employees will arrive in this channel, each in a thread of its own.',
    ]);
    expect((await h.stores.tickets.unresolved()).map((t) => t.thread)).toEqual([undefined, undefined]);

    const before = h.connector.calls.length;
    expect(await h.app.postWaitingTickets()).toBe(2);
    const posted = h.connector.calls.slice(before).map((c) => cardText(cardsOf(c.activity)[0]));
    expect(posted.map((text) => text.split('\n')[0])).toEqual(['Question #1', 'Question #2']);
    expect(await h.app.postWaitingTickets()).toBe(0);
  });

  it('count the nudge time from when their thread was posted', async () => {
    await ask(h.user(), 'Waited a while?');
    clock.set('2026-11-04T08:00:00Z'); // Wednesday 09:00
    await hr.mention('contact here');
    clock.set('2026-11-04T15:00:00Z'); // 7 working hours after posting, 2 days after asking
    expect(await h.app.sendDueNudges()).toBe(0);
    clock.set('2026-11-05T09:00:00Z'); // Thursday 10:00: 9 working hours after posting
    expect(await h.app.sendDueNudges()).toBe(1);
  });
});

describe.each(LANGUAGES)('the cards ($language)', (l) => {
  it('ask "anonymously" once, and the ticket card shows who answered and that it is in the FAQ', async () => {
    await restartIn(l.language);
    const user = h.user({ locale: l.locale });
    const askCard = validCards(await user.say(l.ask)).cards[0];
    expect(cardText(askCard).split(l.anonymously)).toHaveLength(2);

    await hr.mention(l.here);
    const { thread } = await ask(user, 'Can I post about my work?');
    const answered = await sanne.replyIn(thread, 'Yes, for yourself.');
    expect(cardText(cardsOf(answered.calls.find((c) => c.method === 'PUT')?.activity ?? {})[0])).toContain(l.answered);
    validCards(await sanne.click(thread, 'faqEdit', { ticket: 1 }));
    const inputs = {
      ticket: 1,
      question: 'May I post about my work?',
      answer: 'Yes, say you speak for yourself.',
      language: l.language,
    };
    const published = validCards(await sanne.click(thread, 'faqPublish', inputs)).body.value;
    const text = cardText(published);
    for (const fact of [l.question, 'Can I post about my work?', user.name, l.inFaq]) expect(text).toContain(fact);
    expect(actionsOf(published).map((a) => a.verb)).toEqual(['ticketClaim', 'ticketResolve']);
  });
});

describe('the Ask card in Dutch', () => {
  it('says "het communicatieteam" without "die" when no contact name is set', async () => {
    await restartIn('nl', { POSTWISE_CONTACT_NAME: '' });
    const text = cardText((await h.user({ locale: 'nl-NL' }).say('vraag')).cards[0]);
    expect(text).toContain('Je vraag gaat naar het communicatieteam; het antwoord krijg je hier in deze chat.');
    expect(text).not.toMatch(/communicatieteam, die/);
  });
});

describe.each([
  {
    language: 'en' as const,
    locale: 'en-US',
    answer: 'Answer to your report #1 from Sanne Jansen',
    resolved: 'Your report #1 has been marked as resolved',
    reopened: 'Report #1 is open again.',
    thread: 'The employee opened this report again.',
  },
  {
    language: 'nl' as const,
    locale: 'nl-NL',
    answer: 'Antwoord op je melding #1 van Sanne Jansen',
    resolved: 'Je melding #1 is afgehandeld',
    reopened: 'Melding #1 staat weer open.',
    thread: 'De medewerker heeft deze melding opnieuw geopend.',
  },
])('a report ($language)', (l) => {
  it('is called a report, not a question, from the answer to reopening', async () => {
    await restartIn(l.language);
    await hr.mention('contact here');
    const user = h.user({ locale: l.locale });
    await user.install();
    const card = (await user.say('report')).cards[0] as Record<string, unknown>;
    const sent = await user.press(card, 'reportSend', {
      text: 'Someone posted our floor plan',
      link: '',
      urgency: 'normal',
    });
    const thread = sent.calls.find((c) => c.parameters)?.conversationId ?? '';
    const answered = await sanne.replyIn(thread, 'Thanks, I am on it.');
    expect(cardText(answered.cards[0])).toContain(l.answer);
    const resolved = await sanne.click(thread, 'ticketResolve', { ticket: 1 });
    const notice = resolved.cards[0] as Record<string, unknown>;
    expect(cardText(notice)).toContain(l.resolved);
    const reopened = validCards(await user.press(notice, 'ticketReopen'));
    expect(shown(reopened)).toBe(l.reopened);
    expect(cardText(reopened.cards.at(-1))).toBe(l.thread);
  });
});
