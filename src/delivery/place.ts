import type { TeamsPlace } from '../domain/conversations/ports.js';
import type { WorkerSettings } from './ports.js';

/** Where Teams is for the worker; the tenant is unknown until a personal chat or the configuration names it. */
export type Place = Omit<TeamsPlace, 'tenantId'> & { readonly tenantId?: string };

/** Where a personal chat last told the bot Teams is, else what is configured. */
export async function placeOf(deps: {
  readonly settings: WorkerSettings;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly botId?: string;
}): Promise<Place> {
  const seen = await deps.settings.teamsPlace();
  const tenantId = seen?.tenantId ?? deps.tenantId;
  const botId = seen?.botId ?? deps.botId;
  return {
    serviceUrl: seen?.serviceUrl ?? deps.serviceUrl,
    ...(tenantId ? { tenantId } : {}),
    ...(botId ? { botId } : {}),
  };
}
