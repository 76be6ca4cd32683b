import type { Request as HttpRequest, Response as HttpResponse } from 'botbuilder';
import { refuse } from '../http/refusals.js';
import type { Log } from '../log.js';
import { activityProblem } from './activityShape.js';
import type { MessageEndpoint } from './adapter.js';

/**
 * Checks every body once, before the Bot Framework and the bot see it: one that is not an
 * activity of the right shape gets 400 and is neither authenticated, stored nor answered.
 */
export function guardedEndpoint(endpoint: MessageEndpoint, log: Log): MessageEndpoint {
  return async (req, res) => {
    const body = (req as HttpRequest).body as unknown;
    const problem = activityProblem(body);
    if (problem !== undefined) {
      log.info('activity.refused', { status: 400, problem });
      return refuse(res as HttpResponse, 400, { code: 'BadRequest', message: problem });
    }
    await endpoint(req, res);
  };
}
