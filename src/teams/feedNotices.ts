import type { FeedNotices, Recipient } from '../delivery/ports.js';
import type { Delivery } from '../domain/campaigns/delivery.js';
import type { AssignmentStore, CampaignStore } from '../domain/campaigns/ports.js';
import type { Language } from '../domain/course/course.js';
import type { ProgressStore } from '../domain/course/ports.js';
import { renewalDue } from '../domain/course/validity.js';
import { enrolmentCampaign, isEnrolment } from '../domain/enrolment/enrolment.js';
import type { FeedNotice } from '../domain/outbound/activityFeed.js';
import type { RenewalService } from '../domain/renewal/renewalService.js';
import { localDate } from '../domain/time/calendar.js';
import type { Clock } from '../domain/time/clock.js';

/** The line under a notice, in the person's language (Teams translates the template text itself). */
const PREVIEW: Record<Language, Record<'dueSoon' | 'overdue', string>> = {
  en: {
    dueSoon: 'Open the chat with Postwise to finish the social media course.',
    overdue: 'The due date has passed: open the chat with Postwise to finish the social media course.',
  },
  nl: {
    dueSoon: 'Open de chat met Postwise om de cursus sociale media af te maken.',
    overdue: 'De datum is voorbij: open de chat met Postwise om de cursus sociale media af te maken.',
  },
};
const TOPIC: Record<Language, string> = { en: 'Social media course', nl: 'Cursus sociale media' };

/**
 * Due-date reminders and overdue notices as activity feed notices (`dueSoon`, `overdue` with `{due}`: YYYY-MM-DD);
 * every other delivery goes to the chat.
 */
export class TeamsFeedNotices implements FeedNotices {
  constructor(
    private readonly stores: {
      readonly campaigns: Pick<CampaignStore, 'get'>;
      readonly assignments: Pick<AssignmentStore, 'get'>;
      readonly progress: Pick<ProgressStore, 'language'>;
    },
    private readonly defaultLanguage: Language,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly renewals?: Pick<RenewalService, 'step'>,
  ) {}

  async notice(delivery: Delivery, member: Recipient): Promise<FeedNotice | undefined> {
    if (delivery.kind !== 'reminder' || !member.aadObjectId) return undefined;
    const due = await this.dueOf(delivery, member);
    if (due === undefined) return undefined;
    const activityType = due < localDate(this.clock.now(), this.timeZone) ? 'overdue' : 'dueSoon';
    const { recipient } = delivery;
    const language =
      (recipient?.aadObjectId === member.aadObjectId
        ? recipient.language
        : await this.stores.progress.language(member.aadObjectId)) ?? this.defaultLanguage;
    return {
      activityType,
      templateParameters: { due },
      previewText: PREVIEW[language][activityType],
      topic: TOPIC[language],
    };
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
