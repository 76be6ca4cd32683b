import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '5b1e6c0a-3f8e-4d2b-9c7a-0e4f2a6b8d10';
const ON = {
  POSTWISE_ALLOWED_TENANTS: TENANT,
  POSTWISE_XAPI_ENDPOINT: 'https://lrs.contoso.example/xapi/',
  POSTWISE_XAPI_KEY: 'postwise',
  POSTWISE_XAPI_SECRET: 's3cret',
};

describe('xAPI configuration', () => {
  it('is off unless POSTWISE_XAPI_ENDPOINT is set', () => {
    expect(loadConfig({}).xapi).toBeUndefined();
    expect(loadConfig({ POSTWISE_ALLOWED_TENANTS: TENANT }).xapi).toBeUndefined();
  });

  it('reads the endpoint (without its trailing slash), Basic credentials, the actor and the tenant’s homePage', () => {
    expect(loadConfig(ON).xapi).toEqual({
      endpoint: 'https://lrs.contoso.example/xapi',
      key: 'postwise',
      secret: 's3cret',
      actor: 'account',
      homePage: `https://login.microsoftonline.com/${TENANT}`,
    });
    expect(loadConfig({ ...ON, POSTWISE_XAPI_ACTOR: 'email' }).xapi?.actor).toBe('email');
    expect(loadConfig({ ...ON, POSTWISE_XAPI_ENDPOINT: 'http://127.0.0.1:8080/xapi' }).xapi?.endpoint).toBe(
      'http://127.0.0.1:8080/xapi',
    );
  });

  it.each([
    [{ POSTWISE_XAPI_ENDPOINT: 'http://lrs.contoso.example/xapi' }, 'POSTWISE_XAPI_ENDPOINT', /https URL/],
    [{ POSTWISE_XAPI_ENDPOINT: 'lrs.contoso.example' }, 'POSTWISE_XAPI_ENDPOINT', /https URL/],
    [{ POSTWISE_XAPI_ENDPOINT: 'https://u:p@lrs.contoso.example/xapi' }, 'POSTWISE_XAPI_ENDPOINT', /credentials/],
    [{ POSTWISE_XAPI_ENDPOINT: 'https://lrs.contoso.example/xapi?x=1' }, 'POSTWISE_XAPI_ENDPOINT', /query/],
    [{ POSTWISE_XAPI_KEY: '' }, 'POSTWISE_XAPI_KEY', /required/],
    [{ POSTWISE_XAPI_KEY: 'a:b' }, 'POSTWISE_XAPI_KEY', /without ':'/],
    [{ POSTWISE_XAPI_SECRET: ' ' }, 'POSTWISE_XAPI_SECRET', /required/],
    [{ POSTWISE_XAPI_ACTOR: 'upn' }, 'POSTWISE_XAPI_ACTOR', /account or email \(got 'upn'\)/],
    [{ POSTWISE_ALLOWED_TENANTS: '' }, 'POSTWISE_XAPI_ENDPOINT', /one tenant/],
    [{ POSTWISE_ALLOWED_TENANTS: `${TENANT},${OTHER_TENANT}` }, 'POSTWISE_XAPI_ENDPOINT', /one tenant/],
    [{ POSTWISE_XAPI_ENDPOINT: '' }, 'POSTWISE_XAPI_KEY', /POSTWISE_XAPI_ENDPOINT is not/],
  ])('refuses %j, naming %s', (change, name, message) => {
    const env = { ...ON, ...change };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration error: ${name} `));
    expect(() => loadConfig(env)).toThrow(message);
  });
});
