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

/**
 * Signs the admin in with a device code (no browser needed on the server): `prompt` shows where and which code. An
 * authority named in AZURE_AUTHORITY_HOST is taken as it is, not looked up in Microsoft's public cloud first.
 */
export function deviceCodeSignIn(tenantId: string, clientId: string, prompt: (text: string) => void): TokenCredential {
  return new DeviceCodeCredential({
    tenantId,
    clientId,
    userPromptCallback: (info) => prompt(info.message),
    ...(process.env.AZURE_AUTHORITY_HOST === undefined ? {} : { disableInstanceDiscovery: true }),
  });
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
  const token = await credential.getToken(REGISTER_SCOPE).then(
    (got) => got?.token,
    (error: unknown) => {
      throw new Error(signInProblem(error));
    },
  );
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

/** What to tell the admin when the device code sign-in ends without a token. */
function signInProblem(error: unknown): string {
  const said = error instanceof Error ? error.message : String(error);
  const again = ' Run `npm run viva -- register` again and sign in with the new code within 15 minutes.';
  if (/expired_token|device_code_expired/.test(said)) return `The sign-in code expired unused.${again}`;
  if (/access_denied|authorization_declined/.test(said)) return `The sign-in was declined.${again}`;
  // Entra's own text is not repeated; its error code (AADSTS…) is what an admin looks up.
  const code = /AADSTS\d+/.exec(said)?.[0];
  return `The sign-in did not complete${code ? ` (${code})` : ''}.${again}`;
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
