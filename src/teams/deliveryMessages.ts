import type { LanguagePack } from '../cards/languagePack.js';
import { HrCards } from '../cards/hrCards.js';
import { refresherCard } from '../cards/refresherCards.js';
import { renewalCard } from '../cards/renewalCards.js';
import type { DeliveryMessages, Recipient } from '../delivery/ports.js';
import type { Delivery } from '../domain/campaigns/delivery.js';
import type { AssignmentStore, CampaignStore } from '../domain/campaigns/ports.js';
import type { Language } from '../domain/course/course.js';
import type { ProgressStore } from '../domain/course/ports.js';
import { enrolmentCampaign, isEnrolment } from '../domain/enrolment/enrolment.js';
import type { RefresherService } from '../domain/refreshers/refresherService.js';
import type { RenewalService } from '../domain/renewal/renewalService.js';
import { localDate } from '../domain/time/calendar.js';
import { renewalDue } from '../domain/course/validity.js';
import type { Clock } from '../domain/time/clock.js';
import type { OutboundMessage } from '../domain/outbound/ports.js';
import { cardMessage } from './cardMessage.js';

/** The Bot Framework message a campaign, reminder, refresher or renewal delivery brings, in the person's language. */
export class TeamsDeliveryMessages implements DeliveryMessages {
  constructor(
    private readonly stores: {
      readonly campaigns: Pick<CampaignStore, 'get'>;
      readonly assignments: Pick<AssignmentStore, 'get'>;
      readonly progress: Pick<ProgressStore, 'language'>;
    },
    private readonly packs: Readonly<Record<Language, LanguagePack>>,
    private readonly defaultLanguage: Language,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly refreshers?: Pick<RefresherService, 'current'>,
    private readonly renewals?: Pick<RenewalService, 'step'>,
  ) {}

  async compose(delivery: Delivery, member: Recipient): Promise<OutboundMessage> {
    const language = (await this.languageOf(delivery, member)) ?? this.defaultLanguage;
    if (delivery.kind === 'refresher') {
      const refresher = member.aadObjectId ? await this.refreshers?.current(member.aadObjectId) : undefined;
      if (!refresher) throw new Error('a refresher delivery for someone without a refresher');
      return cardMessage(refresherCard(this.packs[language], refresher));
    }
    if (delivery.kind === 'renewal') {
      const step = member.aadObjectId ? await this.renewals?.step(member.aadObjectId) : undefined;
      if (!step) throw new Error('a renewal delivery for someone whose acknowledgement has not lapsed');
      return cardMessage(renewalCard(this.packs[language], step));
    }
    // A reminder without a campaign is about a renewal: the card where it stands, with its due date.
    if (delivery.kind === 'reminder' && delivery.campaignId === undefined) {
      const step = member.aadObjectId ? await this.renewals?.step(member.aadObjectId) : undefined;
      if (!step) throw new Error('a renewal reminder for someone whose acknowledgement has not lapsed');
      const due = renewalDue(step.lapse);
      const overdue = due < localDate(this.clock.now(), this.timeZone);
      return cardMessage(renewalCard(this.packs[language], step, { due, overdue }));
    }
    const { campaignId } = delivery;
    const campaign = isEnrolment(campaignId)
      ? enrolmentCampaign(await this.stores.assignments.get(member.key))
      : campaignId === undefined
        ? undefined
        : await this.stores.campaigns.get(campaignId);
    if (!campaign) throw new Error('a delivery refers to a campaign that is not stored');
    const overdue = campaign.due < localDate(this.clock.now(), this.timeZone);
    const kind = delivery.kind === 'campaign' ? 'campaign' : overdue ? 'overdue' : 'reminder';
    const card = new HrCards(this.packs[language]).campaignMessage(kind, campaign);
    return cardMessage(card);
  }

  /** The language the person chose: as the delivery recorded it for the same Entra object id, else as stored. */
  private async languageOf(delivery: Delivery, member: Recipient): Promise<Language | undefined> {
    const { aadObjectId } = member;
    if (!aadObjectId) return undefined;
    const { recipient } = delivery;
    return recipient?.aadObjectId === aadObjectId ? recipient.language : this.stores.progress.language(aadObjectId);
  }
}
