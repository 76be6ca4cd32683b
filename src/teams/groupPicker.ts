import { short } from '../cards/hrCards.js';
import type { GroupPicker } from '../cards/campaignCards.js';
import { GroupDirectoryUnavailable } from '../domain/groups/ports.js';
import type { RouteDeps } from './routeDeps.js';
import { shortText, type Turn } from './turn.js';

/**
 * The group part of the campaign form: the groups whose name matches what HR typed (searched again each time
 * the form is shown), and the one picked if it is among them. Undefined when the roster is not from Graph.
 */
export async function groupPicker(turn: Turn, deps: RouteDeps): Promise<GroupPicker | undefined> {
  const { groups } = deps.hr;
  if (!groups) return undefined;
  const search = shortText(turn.data.groupSearch)?.trim() ?? '';
  const picked = shortText(turn.data.group) ?? '';
  if (search === '') return { search, choices: [], chosen: '', notice: null };
  try {
    const found = await groups.search(search);
    const chosen = found.find((g) => g.id === picked.toLowerCase()) ?? (found.length === 1 ? found[0] : undefined);
    return {
      search,
      choices: found.map((g) => ({ title: short(g.name), value: g.id })),
      chosen: chosen?.id ?? '',
      notice: found.length === 0 ? turn.pack.text('groupNoMatch', { name: short(search) }) : null,
    };
  } catch (error) {
    if (!(error instanceof GroupDirectoryUnavailable)) throw error;
    return { search, choices: [], chosen: '', notice: turn.pack.text('groupUnavailable') };
  }
}

/** What a campaign preview carries on to Send and Change of the group HR picked; nothing for other audiences. */
export function groupFields(turn: Turn): Record<string, string> {
  if (turn.data.audience !== 'group') return {};
  return { group: shortText(turn.data.group) ?? '', groupSearch: shortText(turn.data.groupSearch) ?? '' };
}
