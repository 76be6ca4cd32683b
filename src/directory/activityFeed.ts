import type { TokenCredential } from '@azure/identity';
import type { ActivityFeed, FeedNotice, FeedOutcome } from '../domain/outbound/activityFeed.js';
import { networkFailure } from '../domain/outbound/networkFailure.js';

const SCOPE = 'https://graph.microsoft.com/.default';
const TIMEOUT_MS = 30_000;
/**
 * How Graph words a 403 when the app is not installed for the recipient (its code is only `Forbidden`): "… is not
 * authorized to generate custom text notifications about … Ensure that the expected Teams app is installed …".
 */
const NOT_INSTALLED = /expected Teams app is installed/i;

/** The request body Graph takes for one notice (a text topic needs the webUrl it opens). */
function body(notice: FeedNotice, link: string) {
  return {
    topic: { source: 'text', value: notice.topic, webUrl: link },
    activityType: notice.activityType,
    previewText: { content: notice.previewText },
    templateParameters: Object.entries(notice.templateParameters).map(([name, value]) => ({ name, value })),
  };
}

/**
 * `POST /users/{id}/teamwork/sendActivityNotification` with an app-only token (the TeamsActivity.Send.User RSC the
 * app package asks for): one request per call, no retries of its own, so that the delivery worker paces and retries.
 */
export class GraphActivityFeed implements ActivityFeed {
  constructor(
    private readonly baseUrl: string,
    private readonly credential: TokenCredential,
  ) {}

  notify(aadObjectId: string, notice: FeedNotice, link: string): Promise<FeedOutcome> {
    return this.post(`users/${encodeURIComponent(aadObjectId)}/teamwork/sendActivityNotification`, body(notice, link));
  }

  /** `POST /teamwork/sendActivityNotificationToRecipients`: Graph answers 202 and delivers later. */
  notifyMany(aadObjectIds: readonly string[], notice: FeedNotice, link: string): Promise<FeedOutcome> {
    return this.post('teamwork/sendActivityNotificationToRecipients', {
      ...body(notice, link),
      recipients: aadObjectIds.map((userId) => ({
        '@odata.type': 'microsoft.graph.aadUserNotificationRecipient',
        userId,
      })),
    });
  }

  private async post(path: string, body: unknown): Promise<FeedOutcome> {
    let token: string | undefined;
    try {
      token = (await this.credential.getToken(SCOPE))?.token;
    } catch {
      token = undefined;
    }
    if (!token) return { kind: 'network', code: 'NoToken', reached: false };
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return { kind: 'network', ...networkFailure(error) };
    }
    const text = await response.text().catch(() => '');
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = text === '' ? undefined : (JSON.parse(text) as { error?: typeof error }).error;
    } catch {
      error = undefined;
    }
    if (response.status === 403 && typeof error?.message === 'string' && NOT_INSTALLED.test(error.message))
      return { kind: 'not-installed' };
    const retryAfter = response.headers.get('retry-after');
    return {
      kind: 'response',
      status: response.status,
      ...(typeof error?.code === 'string' ? { code: error.code } : {}),
      ...(retryAfter ? { retryAfter } : {}),
    };
  }
}
