import { describe, expect, it } from 'vitest';
import { ReusingAuthentication } from '../../src/teams/reusedClients.js';

type CredentialsFactory = NonNullable<ConstructorParameters<typeof ReusingAuthentication>[1]>;
type Claims = Parameters<ReusingAuthentication['createConnectorFactory']>[0];

const SERVICE = 'https://smba.trafficmanager.net/emea/';
const AUDIENCE = 'https://api.botframework.com';

/** Credentials for nobody (local mode), refused the first `failures` times they are asked for. */
function credentials(failures = 0): CredentialsFactory & { asked: number } {
  return {
    asked: 0,
    isValidAppId: async () => true,
    isAuthenticationDisabled: async () => true,
    async createCredentials() {
      this.asked += 1;
      if (this.asked <= failures) throw new Error('token service down');
      return { signRequest: async (request: unknown) => request } as never;
    },
  };
}

/** The claims the adapter gives a turn for this app: audience and appid. */
function claimsFor(appId: string): Claims {
  return {
    claims: [],
    getClaimValue: (type: string) => (type === 'aud' || type === 'appid' ? appId : null),
  } as unknown as Claims;
}

describe('connector and token clients', () => {
  it('are built once per app, audience and service URL and used again by later turns', async () => {
    const auth = new ReusingAuthentication({}, credentials());
    const factory = auth.createConnectorFactory(claimsFor('app'));
    expect(auth.createConnectorFactory(claimsFor('app'))).toBe(factory);
    const client = await factory.create(SERVICE, AUDIENCE);
    expect(await factory.create(SERVICE, AUDIENCE)).toBe(client);
    expect(await factory.create('https://smba.trafficmanager.net/amer/', AUDIENCE)).not.toBe(client);
    expect(auth.createConnectorFactory(claimsFor('other app'))).not.toBe(factory);
    expect(await auth.createUserTokenClient(claimsFor('app'))).toBe(await auth.createUserTokenClient(claimsFor('app')));
  });

  it('are not kept when building them failed, so the next turn tries again', async () => {
    const factoryCredentials = credentials(1);
    const factory = new ReusingAuthentication({}, factoryCredentials).createConnectorFactory(claimsFor('app'));
    await expect(factory.create(SERVICE, AUDIENCE)).rejects.toThrow('token service down');
    const client = await factory.create(SERVICE, AUDIENCE);
    expect(client).toBeDefined();
    expect(await factory.create(SERVICE, AUDIENCE)).toBe(client);
    expect(factoryCredentials.asked).toBe(2);
  });

  it('are at most 64 per kind, the oldest dropped first', async () => {
    const factoryCredentials = credentials();
    const factory = new ReusingAuthentication({}, factoryCredentials).createConnectorFactory(claimsFor('app'));
    const first = await factory.create(`${SERVICE}0/`, AUDIENCE);
    for (let i = 1; i <= 64; i++) await factory.create(`${SERVICE}${i}/`, AUDIENCE);
    expect(factoryCredentials.asked).toBe(65);
    expect(await factory.create(`${SERVICE}64/`, AUDIENCE)).toBeDefined();
    expect(factoryCredentials.asked).toBe(65);
    expect(await factory.create(`${SERVICE}0/`, AUDIENCE)).not.toBe(first);
    expect(factoryCredentials.asked).toBe(66);
  });
});
