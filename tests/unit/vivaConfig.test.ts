import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const PROVIDER = '01e8f81b-3060-4dec-acf0-0389665a0a38';
const APP_ID = '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';
const BOT = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: PROVIDER };

describe('Viva Learning configuration', () => {
  it('is off unless POSTWISE_VIVA_PROVIDER_ID is set', () => {
    expect(loadConfig({}).viva).toBeUndefined();
    expect(loadConfig(BOT).viva).toBeUndefined();
  });

  it('links the course to the chat with the bot, or to POSTWISE_VIVA_CONTENT_URL', () => {
    expect(loadConfig({ ...BOT, POSTWISE_VIVA_PROVIDER_ID: PROVIDER }).viva).toEqual({
      providerId: PROVIDER,
      contentUrl: `https://teams.microsoft.com/l/chat/0/0?users=28:${APP_ID}`,
    });
    const url = 'https://teams.microsoft.com/l/entity/app-id/home';
    expect(loadConfig({ POSTWISE_VIVA_PROVIDER_ID: PROVIDER, POSTWISE_VIVA_CONTENT_URL: url }).viva?.contentUrl).toBe(
      url,
    );
  });

  it.each([
    [{ POSTWISE_VIVA_PROVIDER_ID: 'contoso' }, 'POSTWISE_VIVA_PROVIDER_ID', /GUID/],
    [{ POSTWISE_VIVA_PROVIDER_ID: PROVIDER }, 'POSTWISE_VIVA_PROVIDER_ID', /MicrosoftAppId/],
    [{ POSTWISE_VIVA_CONTENT_URL: 'https://teams.microsoft.com/' }, 'POSTWISE_VIVA_CONTENT_URL', /PROVIDER_ID/],
    [
      { POSTWISE_VIVA_PROVIDER_ID: PROVIDER, POSTWISE_VIVA_CONTENT_URL: 'http://teams.example/' },
      'POSTWISE_VIVA_CONTENT_URL',
      /https URL/,
    ],
  ])('stops the start for %j, naming %s', (env, variable, message) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as Error).message).toMatch(message);
  });
});
