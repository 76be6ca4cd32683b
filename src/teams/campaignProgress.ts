import { CampaignCards, stillSending } from '../cards/campaignCards.js';
import { HrCards, LIST_ON_CARD } from '../cards/hrCards.js';
import type { CardJson } from '../cards/templates.js';
import { cardMessage } from './cardMessage.js';
import type { RouteDeps } from './routeDeps.js';
import type { Turn } from './turn.js';

/** The first look after Send; each next one waits twice as long, up to LONGEST_WAIT_MS. */
const FIRST_WAIT_MS = 2_000;
const LONGEST_WAIT_MS = 30_000;
/** After this long the card stops updating itself and says Refresh shows how far it got. */
const FOLLOW_FOR_MS = 15 * 60_000;

/**
 * After Send: the campaign card in HR's chat updates itself (updateActivity) as the messages go
 * out, until none wait. It reads the shared store, so it works whichever instance sends, and
 * updates the card only when what it shows changed.
 */
export function followCampaign(turn: Turn, deps: RouteDeps, campaignId: string, shown: CardJson): void {
  const messageId = turn.conversation.cardMessageId;
  if (messageId === undefined) return;
  const { id: conversationId, serviceUrl, tenantId, botId } = turn.conversation;
  const place = { conversationId, serviceUrl, ...(tenantId ? { tenantId } : {}), ...(botId ? { botId } : {}) };
  const cards = new CampaignCards(new HrCards(turn.pack));
  let last = JSON.stringify(shown);
  let waited = 0;
  const look = async (wait: number): Promise<void> => {
    waited += wait;
    const status = await deps.hr.campaigns.status(campaignId, LIST_ON_CARD);
    if (!status) return;
    const more = stillSending(status) && waited < FOLLOW_FOR_MS;
    const card = cards.status(status, more);
    const json = JSON.stringify(card);
    if (json !== last) {
      await deps.outbound.updatePersonalCard(place, messageId, cardMessage(card));
      last = json;
    }
    if (more) schedule(Math.min(wait * 2, LONGEST_WAIT_MS));
  };
  const schedule = (wait: number) => {
    const run = () => void look(wait).catch((error: unknown) => deps.log.error('campaign.card-update-failed', error));
    setTimeout(run, wait).unref();
  };
  schedule(FIRST_WAIT_MS);
}
