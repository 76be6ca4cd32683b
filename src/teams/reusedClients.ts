import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type Claims = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/** At most this many clients of a kind are kept; the oldest goes first (a tenant has a few service URLs). */
const MAX_CLIENTS = 64;

/**
 * botbuilder's authentication, except that a connector client per app, service URL and audience
 * and a token client per app are built once and reused: botbuilder builds both afresh each turn
 * and each proactive message, about 120 KB of HTTP pipeline a turn for the garbage collector.
 * The clients hold no per-turn state; their credentials renew their own tokens.
 */
export class ReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly factories = new Map<string, ConnectorFactory>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  override createConnectorFactory(claims: Claims): ConnectorFactory {
    return kept(this.factories, appIdOf(claims), () => reusingFactory(super.createConnectorFactory(claims)));
  }

  override createUserTokenClient(claims: Claims): Promise<UserTokenClient> {
    return keptPromise(this.tokenClients, appIdOf(claims), () => super.createUserTokenClient(claims));
  }
}

function reusingFactory(factory: ConnectorFactory): ConnectorFactory {
  const clients = new Map<string, Promise<ConnectorClient>>();
  return {
    create: (serviceUrl: string, audience?: string) =>
      keptPromise(clients, `${audience ?? ''} ${serviceUrl}`, () => factory.create(serviceUrl, audience)),
  };
}

/** The app a request is for, as botbuilder reads it: the audience claim, else the appid claim. */
function appIdOf(claims: Claims): string {
  return claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? '';
}

function kept<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const found = cache.get(key);
  if (found !== undefined) return found;
  const made = make();
  if (cache.size >= MAX_CLIENTS) cache.delete(cache.keys().next().value as string);
  cache.set(key, made);
  return made;
}

/** Like kept, but a promise that fails is forgotten, so the next turn tries again. */
function keptPromise<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  return kept(cache, key, () => {
    const made = make();
    made.catch(() => {
      if (cache.get(key) === made) cache.delete(key);
    });
    return made;
  });
}
