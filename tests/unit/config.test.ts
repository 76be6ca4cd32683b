import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const APP_ID = '0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '5b1e6c0a-3f8e-4d2b-9c7a-0e4f2a6b8d10';

describe('configuration', () => {
  it('runs in local mode on loopback with sensible defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3978, host: '127.0.0.1', localMode: true, defaultLanguage: 'en' });
    expect(config.dataFile).toMatch(/data[/\\]postwise\.json$/);
    expect(config.org.policyUrl).toMatch(/^https:/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('listens on HOST (default all interfaces) once an app id is set, and never in local mode', () => {
    const bot = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: TENANT };
    expect(loadConfig(bot)).toMatchObject({ host: '0.0.0.0', localMode: false });
    expect(loadConfig({ ...bot, HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('127.0.0.1');
  });

  it('uses the embedded store unless POSTWISE_STORE names Azure Tables, with an endpoint or a connection string', () => {
    expect(loadConfig({}).store).toEqual({ kind: 'embedded' });
    expect(
      loadConfig({ POSTWISE_STORE: 'azure-tables', POSTWISE_TABLES_URL: 'https://contoso.table.core.windows.net/' })
        .store,
    ).toEqual({
      kind: 'azure-tables',
      account: { url: 'https://contoso.table.core.windows.net' },
      prefix: 'postwise',
      leaseSeconds: 30,
    });
    const local = loadConfig({
      POSTWISE_STORE: 'azure-tables',
      POSTWISE_TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      POSTWISE_TABLE_PREFIX: 'pwTest2',
    });
    expect(local.store).toEqual({
      kind: 'azure-tables',
      account: { connectionString: 'UseDevelopmentStorage=true' },
      prefix: 'pwTest2',
      leaseSeconds: 30,
    });
    expect(
      loadConfig({
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_CONNECTION_STRING: 'x',
        POSTWISE_LEASE_SECONDS: '3',
      }).store,
    ).toMatchObject({ leaseSeconds: 3 });
  });

  it('reads the organisation texts', () => {
    const config = loadConfig({
      POSTWISE_ORG_NAME: 'Contoso',
      POSTWISE_CONTACT_NAME: 'Sanne Jansen',
      POSTWISE_CONTACT_EMAIL: 'sanne@contoso.example',
      POSTWISE_POLICY_URL: 'https://intranet.contoso.example/smp',
    });
    expect(config.org).toEqual({
      name: 'Contoso',
      contactName: 'Sanne Jansen',
      contactEmail: 'sanne@contoso.example',
      policyUrl: 'https://intranet.contoso.example/smp',
    });
  });

  it('reads the privacy contact and the monitoring statement in both languages, naming a wrong variable', () => {
    expect(loadConfig({}).org).toMatchObject({ privacyContact: undefined, monitoring: undefined });
    const config = loadConfig({
      POSTWISE_PRIVACY_CONTACT: 'Priya Shah',
      POSTWISE_MONITORING_EN: '{org} reads public reviews. Ask {privacyContact}.',
      POSTWISE_MONITORING_NL: '{org} leest openbare recensies. Vraag {privacyContact}.',
    });
    expect(config.org.privacyContact).toBe('Priya Shah');
    expect(config.org.monitoring).toEqual({
      en: '{org} reads public reviews. Ask {privacyContact}.',
      nl: '{org} leest openbare recensies. Vraag {privacyContact}.',
    });
    expect(() => loadConfig({ POSTWISE_PRIVACY_CONTACT: 'x'.repeat(81) })).toThrow(
      /^Configuration error: POSTWISE_PRIVACY_CONTACT must be at most 80/,
    );
    expect(() => loadConfig({ POSTWISE_MONITORING_EN: 'We read reviews.' })).toThrow(
      /^Configuration error: POSTWISE_MONITORING_NL is required when POSTWISE_MONITORING_EN/,
    );
    expect(() => loadConfig({ POSTWISE_MONITORING_NL: 'Wij lezen recensies.' })).toThrow(
      /^Configuration error: POSTWISE_MONITORING_EN is required/,
    );
    const long = { POSTWISE_MONITORING_EN: 'x'.repeat(601), POSTWISE_MONITORING_NL: 'Wij lezen recensies.' };
    expect(() => loadConfig(long)).toThrow(/^Configuration error: POSTWISE_MONITORING_EN must be at most 600/);
    const unknown = { POSTWISE_MONITORING_EN: 'See {policyUrl}.', POSTWISE_MONITORING_NL: 'Zie {policyUrl}.' };
    expect(() => loadConfig(unknown)).toThrow(
      /^Configuration error: POSTWISE_MONITORING_EN may use only \{org\}.*\{policyUrl\}/,
    );
  });

  it('reads the organisation content folder, and names the variable when the folder does not exist', () => {
    expect(loadConfig({}).orgContentDir).toBeUndefined();
    expect(loadConfig({ POSTWISE_ORG_CONTENT: 'content' }).orgContentDir).toMatch(/content$/);
    expect(() => loadConfig({ POSTWISE_ORG_CONTENT: 'no-such-folder' })).toThrow(
      /^Configuration error: POSTWISE_ORG_CONTENT .*does not exist.*no-such-folder/,
    );
  });

  describe('the allowed tenants', () => {
    const bot = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' };

    it('are the organisation tenant from MicrosoftAppTenantId unless POSTWISE_ALLOWED_TENANTS names them', () => {
      expect(loadConfig({ ...bot, MicrosoftAppTenantId: TENANT.toUpperCase() }).allowedTenants).toEqual([TENANT]);
      expect(
        loadConfig({
          ...bot,
          MicrosoftAppTenantId: TENANT,
          POSTWISE_ALLOWED_TENANTS: ` ${OTHER_TENANT.toUpperCase()} , ${TENANT},${TENANT}`,
        }).allowedTenants,
      ).toEqual([OTHER_TENANT, TENANT]);
      expect(loadConfig({ ...bot, POSTWISE_ALLOWED_TENANTS: OTHER_TENANT })).toMatchObject({
        allowedTenants: [OTHER_TENANT],
        bot: { tenantId: '' },
      });
    });

    it('are every tenant in local mode unless one is named', () => {
      expect(loadConfig({}).allowedTenants).toEqual([]);
      expect(loadConfig({ MicrosoftAppTenantId: TENANT }).allowedTenants).toEqual([TENANT]);
      expect(loadConfig({ POSTWISE_ALLOWED_TENANTS: OTHER_TENANT }).allowedTenants).toEqual([OTHER_TENANT]);
    });

    it.each([
      [bot, /POSTWISE_ALLOWED_TENANTS is required when MicrosoftAppId is set/],
      [{ ...bot, POSTWISE_ALLOWED_TENANTS: ' , ' }, /POSTWISE_ALLOWED_TENANTS is required when MicrosoftAppId is set/],
      [
        { ...bot, MicrosoftAppTenantId: TENANT, POSTWISE_ALLOWED_TENANTS: `${TENANT}, contoso.onmicrosoft.com` },
        /POSTWISE_ALLOWED_TENANTS must be .*'contoso.onmicrosoft.com'/,
      ],
      [
        { POSTWISE_ALLOWED_TENANTS: '00000000-0000-0000-0000-0000000000001' },
        /POSTWISE_ALLOWED_TENANTS must be a comma-separated list of Entra tenant ids/,
      ],
    ])('refuses %j with a message naming POSTWISE_ALLOWED_TENANTS', (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MicrosoftAppType: 'AnyTenant' }, 'MicrosoftAppType'],
    [{ MicrosoftAppId: 'my-bot' }, 'MicrosoftAppId'],
    [{ MicrosoftAppId: APP_ID }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
    [{ MicrosoftAppTenantId: 'contoso' }, 'MicrosoftAppTenantId'],
    [{ POSTWISE_CONTACT_EMAIL: 'not an address' }, 'POSTWISE_CONTACT_EMAIL'],
    [{ POSTWISE_POLICY_URL: 'javascript:alert(1)' }, 'POSTWISE_POLICY_URL'],
    [{ POSTWISE_POLICY_URL: 'intranet/policy' }, 'POSTWISE_POLICY_URL'],
    [{ POSTWISE_ORG_NAME: 'x'.repeat(81) }, 'POSTWISE_ORG_NAME'],
    [{ POSTWISE_DEFAULT_LANGUAGE: 'de' }, 'POSTWISE_DEFAULT_LANGUAGE'],
    [{ POSTWISE_OPENID_METADATA_URL: 'http://login.example.com/openid' }, 'POSTWISE_OPENID_METADATA_URL'],
    [{ POSTWISE_OPENID_METADATA_URL: 'not a url' }, 'POSTWISE_OPENID_METADATA_URL'],
    [{ POSTWISE_STORE: 'cosmos' }, 'POSTWISE_STORE'],
    [
      { POSTWISE_STORE: 'azure-tables', POSTWISE_TABLES_CONNECTION_STRING: 'x', POSTWISE_LEASE_SECONDS: '90' },
      'POSTWISE_LEASE_SECONDS',
    ],
    [{ POSTWISE_STORE: 'azure-tables' }, 'POSTWISE_TABLES_URL'],
    [
      { POSTWISE_STORE: 'azure-tables', POSTWISE_TABLES_URL: 'http://contoso.table.core.windows.net' },
      'POSTWISE_TABLES_URL',
    ],
    [
      {
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_URL: 'https://a.table.core.windows.net',
        POSTWISE_TABLES_CONNECTION_STRING: 'x',
      },
      'POSTWISE_TABLES_CONNECTION_STRING',
    ],
    [
      {
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_URL: 'https://a.table.core.windows.net',
        POSTWISE_TABLE_PREFIX: 'post-wise',
      },
      'POSTWISE_TABLE_PREFIX',
    ],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration error: ${variable} `));
  });
});
