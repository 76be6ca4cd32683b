import { departmentKey } from '../domain/roster/departmentKeys.js';
import type { CampaignStatus, DepartmentRecipients } from '../domain/campaigns/campaignOutcomes.js';
import type { Audience, Campaign } from '../domain/campaigns/campaign.js';
import { DEPARTMENT_CHOICES, LIST_ON_CARD, short, type HrCards } from './hrCards.js';
import { REACH_TEXTS } from './hrTexts.js';
import { plain } from './contactCards.js';
import type { CardJson } from './templates.js';

/** Names the campaign preview shows per department; the export lists everyone. */
const NAMES_PER_DEPARTMENT = 5;
/** Names the preview shows of a group's members who are not on the roster. */
const NAMES_OUTSIDE_ROSTER = 20;

/** The group part of the campaign form: what HR searched for, the groups found and the one picked. */
export interface GroupPicker {
  readonly search: string;
  readonly choices: readonly { readonly title: string; readonly value: string }[];
  readonly chosen: string;
  readonly notice: string | null;
}

export interface CampaignForm {
  readonly request: string;
  readonly departments: readonly string[];
  /** The earliest due date the form offers (YYYY-MM-DD). */
  readonly firstDue: string;
  /** The due date a new form starts with (YYYY-MM-DD). */
  readonly defaultDue: string;
  readonly values?: {
    readonly audience?: string;
    readonly departments?: readonly string[];
    readonly due?: string;
    readonly note?: string;
    readonly includeCompleted?: boolean;
  };
  readonly notice?: string;
  /** Whether everyone who joins gets the course, in one line (standing enrolment). */
  readonly enrolment?: string;
  /** Only when campaigns can go to an Entra group (the roster comes from Graph). */
  readonly groups?: GroupPicker | undefined;
}

/** The *Send at…* part of the preview: the first date it takes, the date and time it shows, and what to correct. */
export interface SendLater {
  readonly first: string;
  readonly date: string;
  readonly time: string;
  readonly notice?: string;
}

/** HR's campaign cards: the form, the preview and how sending stands. */
export class CampaignCards {
  constructor(private readonly hr: HrCards) {}

  form(form: CampaignForm): CardJson {
    const values = form.values ?? {};
    return this.hr.pack.render('hrCampaign', {
      request: form.request,
      notice: form.notice ?? null,
      enrolment: form.enrolment ?? null,
      audience: values.audience ?? 'everyone',
      departments: form.departments
        .slice(0, DEPARTMENT_CHOICES)
        .map((d) => ({ title: short(d), value: departmentKey(d) })),
      chosen: (values.departments ?? []).map(departmentKey).join(','),
      firstDue: form.firstDue,
      due: values.due ?? form.defaultDue,
      note: values.note ?? '',
      includeCompleted: values.includeCompleted === true ? 'yes' : 'no',
      groups: form.groups ?? null,
    });
  }

  /**
   * The campaign as it will go out: who gets it per department, with the first names of each, and
   * how many it leaves out because they completed the course; for a group, who in it is not on the roster.
   */
  preview(
    request: Record<string, unknown>,
    campaign: Pick<Campaign, 'audience' | 'due' | 'note'>,
    recipients: number,
    byDepartment: readonly DepartmentRecipients[],
    leftOut = 0,
    later?: SendLater,
    outsideRoster?: readonly string[],
  ): CardJson {
    const t = this.hr.pack.text.bind(this.hr.pack);
    const { audience } = campaign;
    const wide = audience.kind === 'everyone' || audience.kind === 'departments' || audience.kind === 'group';
    const included = wide && audience.leaveOutCompleted !== true;
    const shown = byDepartment.slice(0, LIST_ON_CARD);
    return this.hr.pack.render('hrCampaignPreview', {
      request,
      later: { first: null, ...later, notice: later?.notice ?? null },
      recipients: t('previewRecipients', { count: recipients }),
      audience: this.audience(audience),
      group: outsideRoster ? this.groupFacts(recipients + leftOut, outsideRoster) : null,
      leftOut: leftOut > 0 ? t('previewLeftOut', { count: leftOut }) : null,
      included: included ? t('previewIncluded') : null,
      due: this.hr.date(campaign.due),
      note: campaign.note ? plain(campaign.note) : null,
      byDepartment: shown.map((d) => {
        const more = d.count - Math.min(d.count, NAMES_PER_DEPARTMENT);
        return {
          name: d.name === '' ? t('previewNoDepartment') : short(d.name),
          count: d.count,
          people: d.people.slice(0, NAMES_PER_DEPARTMENT).map(short).join(', '),
          moreNames: more > 0 ? t('previewMoreNames', { count: more }) : null,
        };
      }),
      more:
        byDepartment.length > shown.length
          ? t('rosterProblemsMore', { count: byDepartment.length - shown.length })
          : null,
    });
  }

  /** How sending stands; while messages wait, says so: `live` when this card updates itself. */
  status(progress: CampaignStatus, live = false): CardJson {
    const t = this.hr.pack.text.bind(this.hr.pack);
    const notReached = progress.unreachableCount + progress.failedCount;
    const shown = [...progress.unreachable, ...progress.failed].slice(0, LIST_ON_CARD);
    const facts = [
      { title: t('campaignSent'), value: String(progress.sent) },
      { title: t('campaignWaiting'), value: String(progress.pending) },
      { title: t('campaignRetrying'), value: String(progress.retrying) },
      { title: t('statusUnreachable'), value: String(notReached) },
    ];
    if (progress.unconfirmed > 0) facts.push({ title: t('campaignUnconfirmed'), value: String(progress.unconfirmed) });
    return this.hr.pack.render('hrCampaignStatus', {
      title: t('campaignStatusTitle', { due: this.hr.date(progress.campaign.due) }),
      campaign: progress.campaign.id,
      sending: stillSending(progress) ? t(live ? 'campaignSendingLive' : 'campaignSending') : null,
      facts,
      unreachable: shown.map((u) => ({
        name: short(u.member.name),
        reason: u.problem ? t(REACH_TEXTS[u.problem]) : u.reason,
      })),
      more: notReached > shown.length ? t('campaignUnreachableMore', { count: notReached - shown.length }) : null,
    });
  }

  /** Who a campaign goes to, in words. */
  audience(audience: Audience): string {
    switch (audience.kind) {
      case 'everyone':
        return this.hr.pack.text('audEveryone');
      case 'not-finished':
        return this.hr.pack.text('audNotFinished');
      case 'needs-reacknowledge':
        return this.hr.pack.text('audReacknowledge');
      case 'departments':
        return short(audience.departments.join(', '));
      case 'group':
        return this.hr.pack.text('audGroupNamed', { name: short(audience.groupName) });
    }
  }

  /** How many of a group's members are on the roster, and the first names of those who are not. */
  private groupFacts(onRoster: number, outside: readonly string[]) {
    const t = this.hr.pack.text.bind(this.hr.pack);
    const more = outside.length - Math.min(outside.length, NAMES_OUTSIDE_ROSTER);
    const names = outside.slice(0, NAMES_OUTSIDE_ROSTER).map(short).join(', ');
    return {
      onRoster: t('previewGroupOnRoster', { count: onRoster, total: onRoster + outside.length }),
      outside: outside.length > 0 ? t('previewGroupOutside', { count: outside.length }) : null,
      names: more > 0 ? `${names} ${t('previewMoreNames', { count: more })}` : names,
    };
  }
}

/** Whether messages of the campaign still wait to go out (or to be tried again). */
export function stillSending(progress: Pick<CampaignStatus, 'pending' | 'retrying'>): boolean {
  return progress.pending + progress.retrying > 0;
}
