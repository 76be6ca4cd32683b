/** The audience of the bot's calls to the channel, as botbuilder's public-cloud authentication uses it. */
export const TO_CHANNEL_SCOPE = 'https://api.botframework.com';
