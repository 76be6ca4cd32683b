import { ChannelMember, type BotHarness, type TestUser } from './harness.js';

/** The Entra object id of HR in the protocol tests, for POSTWISE_HR_USERS. */
export const HR_ID = '3f1a2b3c-4d5e-4f60-8a1b-2c3d4e5f6a7b';

/** Henk de Groot of HR, in a personal chat with the bot. */
export function hrUser(h: BotHarness, locale?: string): TestUser {
  return Object.assign(h.user({ name: 'Henk de Groot', ...(locale ? { locale } : {}) }), { aadObjectId: HR_ID });
}

/** Henk de Groot of HR, in the contact channel. */
export function hrInChannel(h: BotHarness): ChannelMember {
  return Object.assign(new ChannelMember(h, 'Henk de Groot'), { aadObjectId: HR_ID });
}
