import { DeviceCodeCredential, type TokenCredential } from '@azure/identity';
import { GraphError } from './graph.js';

/** The delegated permission registering a learning provider takes: an admin signs in once. */
export const REGISTER_SCOPE = 'https://graph.microsoft.com/LearningProvider.ReadWrite';

/** How Postwise appears in Viva Learning. */
export interface ProviderDetails {
  readonly displayName: string;
  /** A publicly reachable image (https), used for the square and long logos of both themes. */
  readonly logoUrl: string;
}

/** Signs the admin in with a device code (no browser needed on the server): `prompt` shows where and which code. */
export function deviceCodeSignIn(tenantId: string, clientId: string, prompt: (text: string) => void): TokenCredential {
  return new DeviceCodeCredential({ tenantId, clientId, userPromptCallback: (info) => prompt(info.message) });
}

/**
 * Registers Postwise as a learning provider in Viva Learning (POST learningProviders), then lets it
 * sync course activities (isCourseActivitySyncEnabled); returns the provider's id.
 */
export async function registerProvider(
  baseUrl: string,
  credential: TokenCredential,
  details: ProviderDetails,
): Promise<string> {
  const token = (await credential.getToken(REGISTER_SCOPE))?.token;
  if (!token) throw new GraphError(0, 'The sign-in gave no token for LearningProvider.ReadWrite.');
  const providers = `${baseUrl}employeeExperience/learningProviders`;
  const { logoUrl } = details;
  const created = await call(token, 'POST', providers, {
    displayName: details.displayName,
    squareLogoWebUrlForDarkTheme: logoUrl,
    longLogoWebUrlForDarkTheme: logoUrl,
    squareLogoWebUrlForLightTheme: logoUrl,
    longLogoWebUrlForLightTheme: logoUrl,
  });
  const id = (created as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') throw new GraphError(201, 'Microsoft Graph created the provider but named no id.');
  await call(token, 'PATCH', `${providers}/${encodeURIComponent(id)}`, { isCourseActivitySyncEnabled: true });
  return id;
}

async function call(token: string, method: string, url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      // Not Graph's JSON error body: the status says enough.
    }
    const advice =
      response.status === 401 || response.status === 403
        ? ' Sign in as a Knowledge Administrator (or a higher role) with a Viva Learning licence, and consent to ' +
          'LearningProvider.ReadWrite.'
        : '';
    throw new GraphError(
      response.status,
      `Microsoft Graph answered ${response.status}${code ? ` ${code}` : ''} to ${method} learningProviders.${advice}`,
      code,
    );
  }
  return text === '' ? undefined : JSON.parse(text);
}
