import type { FeedNotices, Recipient } from '../delivery/ports.js';
import type { Delivery } from '../domain/campaigns/delivery.js';
import type { AssignmentStore, CampaignStore } from '../domain/campaigns/ports.js';
import type { ConversationStore } from '../domain/conversations/ports.js';
import type { Language } from '../domain/course/course.js';
import type { ProgressStore } from '../domain/course/ports.js';
import { renewalDue } from '../domain/course/validity.js';
import { enrolmentCampaign, isEnrolment } from '../domain/enrolment/enrolment.js';
import type { FeedActivityType, FeedNotice } from '../domain/outbound/activityFeed.js';
import type { RenewalService } from '../domain/renewal/renewalService.js';
import { addDays, localDate } from '../domain/time/calendar.js';
import type { Clock } from '../domain/time/clock.js';

/** The line under a notice, in the person's language (Teams translates the template text itself). */
const PREVIEW: Record<Language, Record<FeedActivityType, string>> = {
  en: {
    dueSoon: 'Open the chat with Postwise to finish the social media course.',
    overdue: 'The due date has passed: open the chat with Postwise to finish the social media course.',
    refresherDue: 'Open the chat with Postwise to answer one question about the social media course.',
  },
  nl: {
    dueSoon: 'Open de chat met Postwise om de cursus sociale media af te maken.',
    overdue: 'De datum is voorbij: open de chat met Postwise om de cursus sociale media af te maken.',
    refresherDue: 'Open de chat met Postwise en beantwoord één vraag over de cursus sociale media.',
  },
};
/** Days without a turn in the chat after which a refresher is also announced in the activity feed. */
const AWAY_DAYS = 7;
const TOPIC: Record<Language, string> = { en: 'Social media course', nl: 'Cursus sociale media' };

/**
 * Due-date reminders and overdue notices as activity feed notices (`dueSoon`, `overdue` with `{due}`: YYYY-MM-DD),
 * and a refresher's notice (`refresherDue`) for someone who has not used their chat with the bot for AWAY_DAYS days:
 * the refresher card itself still goes to the chat. Every other delivery goes to the chat alone.
 */
export class TeamsFeedNotices implements FeedNotices {
  constructor(
    private readonly stores: {
      readonly campaigns: Pick<CampaignStore, 'get'>;
      readonly assignments: Pick<AssignmentStore, 'get'>;
      readonly progress: Pick<ProgressStore, 'language'>;
      readonly conversations: Pick<ConversationStore, 'get'>;
    },
    private readonly defaultLanguage: Language,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly renewals?: Pick<RenewalService, 'step'>,
  ) {}

  async notice(delivery: Delivery, member: Recipient): Promise<FeedNotice | undefined> {
    const { aadObjectId } = member;
    if (!aadObjectId) return undefined;
    if (delivery.kind === 'refresher')
      return (await this.away(aadObjectId)) ? this.make('refresherDue', {}, delivery, aadObjectId) : undefined;
    if (delivery.kind !== 'reminder') return undefined;
    const due = await this.dueOf(delivery, member);
    if (due === undefined) return undefined;
    const activityType = due < localDate(this.clock.now(), this.timeZone) ? 'overdue' : 'dueSoon';
    return this.make(activityType, { due }, delivery, aadObjectId);
  }

  private async make(
    activityType: FeedActivityType,
    templateParameters: Readonly<Record<string, string>>,
    delivery: Delivery,
    aadObjectId: string,
  ): Promise<FeedNotice> {
    const { recipient } = delivery;
    const language =
      (recipient?.aadObjectId === aadObjectId
        ? recipient.language
        : await this.stores.progress.language(aadObjectId)) ?? this.defaultLanguage;
    return { activityType, templateParameters, previewText: PREVIEW[language][activityType], topic: TOPIC[language] };
  }

  /**
   * Whether the person has a chat with the bot they last used AWAY_DAYS days ago or longer, or never (or only before
   * the chat kept its last turn). Without a chat the card opens one: it comes alone.
   */
  private async away(aadObjectId: string): Promise<boolean> {
    const chat = await this.stores.conversations.get(aadObjectId);
    if (!chat) return false;
    const { lastTurn } = chat;
    return lastTurn === undefined || lastTurn <= addDays(this.clock.now().toISOString().slice(0, 10), -AWAY_DAYS);
  }

  /** The due date the reminder is about: its campaign's, the person's enrolment's, or their renewal's. */
  private async dueOf(delivery: Delivery, member: Recipient): Promise<string | undefined> {
    const { campaignId } = delivery;
    if (campaignId === undefined) {
      const step = member.aadObjectId ? await this.renewals?.step(member.aadObjectId) : undefined;
      return step && renewalDue(step.lapse);
    }
    const campaign = isEnrolment(campaignId)
      ? enrolmentCampaign(await this.stores.assignments.get(member.key))
      : await this.stores.campaigns.get(campaignId);
    return campaign?.due;
  }
}
