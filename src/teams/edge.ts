import type { Request as HttpRequest, Response as HttpResponse } from 'botbuilder';
import type { Log } from '../log.js';
import { activityProblem } from './activityShape.js';
import type { MessageEndpoint } from './adapter.js';
import { fromAllowedTenant } from './tenants.js';

/**
 * Checks every activity once, before the Bot Framework and the bot see it: a body of the wrong
 * shape gets 400, an activity from a tenant that is not the organisation's gets 403; neither is
 * authenticated, stored or answered.
 */
export function guardedEndpoint(endpoint: MessageEndpoint, allowedTenants: readonly string[], log: Log): MessageEndpoint {
  return async (req, res) => {
    const body = (req as HttpRequest).body as unknown;
    const problem = activityProblem(body);
    if (problem !== undefined) {
      log.info('activity.refused', { status: 400, problem });
      return refuse(res as HttpResponse, 400, { code: 'BadRequest', message: problem });
    }
    if (!fromAllowedTenant(body as Parameters<typeof fromAllowedTenant>[0], allowedTenants)) {
      log.info('activity.refused', { status: 403 });
      return refuse(res as HttpResponse, 403, { code: 'Forbidden', message: "This bot serves only its organisation's tenant." });
    }
    await endpoint(req, res);
  };
}

function refuse(res: HttpResponse, status: number, body: { code: string; message: string }): void {
  res.status(status);
  res.send(body);
  res.end();
}
