import type { ScheduledCampaign } from '../domain/campaigns/schedule.js';
import { CampaignCards } from './campaignCards.js';
import { LIST_ON_CARD, type HrCards } from './hrCards.js';
import type { CardJson } from './templates.js';

/** The card listing scheduled campaigns, each with *Cancel* until it starts. */
export class ScheduleCards {
  constructor(
    private readonly hr: HrCards,
    private readonly timeZone: string,
  ) {}

  /** A start as people say it: "Tuesday 3 November" and "10:00" in the organisation's time zone. */
  moment(iso: string): { date: string; time: string } {
    const at = new Date(iso);
    const locale = this.hr.pack.language === 'nl' ? 'nl-NL' : 'en-GB';
    const { timeZone } = this;
    const long = { timeZone, weekday: 'long', day: 'numeric', month: 'long' } as const;
    return {
      date: new Intl.DateTimeFormat(locale, long).format(at),
      time: new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
        at,
      ),
    };
  }

  /** The first schedules (earliest first); `failedText` says why one that did not go out failed. */
  list(
    schedules: readonly ScheduledCampaign[],
    failedText: (field: NonNullable<ScheduledCampaign['failed']>) => string,
    notice?: string,
  ): CardJson {
    const t = this.hr.pack.text.bind(this.hr.pack);
    const campaigns = new CampaignCards(this.hr);
    return this.hr.pack.render('hrCampaignSchedule', {
      notice: notice ?? null,
      schedules: schedules.slice(0, LIST_ON_CARD).map((s) => ({
        id: s.id,
        when: t('scheduledWhen', this.moment(s.at)),
        facts: [
          { title: t('previewAudience'), value: campaigns.audience(s.audience) },
          { title: t('dueLabel'), value: this.hr.date(s.due) },
        ],
        failed: s.state === 'failed' && s.failed ? t('scheduledFailed', { reason: failedText(s.failed) }) : null,
        cancel: s.state === 'scheduled' ? t('scheduledCancel') : null,
      })),
    });
  }
}
