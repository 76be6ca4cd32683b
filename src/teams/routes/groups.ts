import { replace } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import { campaignForm, campaignRequest } from './campaigns.js';

/** Campaigns to an Entra group: *Find* on the campaign form shows the groups whose name matches. */
export const GROUPS_ROUTES = [
  {
    name: 'campaignGroupFind',
    verb: 'hrCampaignGroupFind',
    scope: 'personal',
    via: ['card'],
    who: 'hr',
    handle: async (turn, deps) => {
      const request = await campaignRequest(turn, deps);
      return replace(await campaignForm(turn, deps, { ...request, audience: 'group' }));
    },
  },
] as const satisfies readonly RouteDeclaration[];
