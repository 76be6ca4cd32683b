import type { TeamReport } from '../domain/team/teamService.js';
import type { TeamStatus } from '../domain/team/teamStatus.js';
import type { UiKey } from '../content/ui.js';
import { HrCards, short } from './hrCards.js';
import type { LanguagePack } from './languagePack.js';
import type { CardJson } from './templates.js';

/** People on a manager's team card; the rest are counted. At 60 the card stays far below 40 KB. */
export const TEAM_ON_CARD = 60;

const STATUS_TEXTS: Record<Exclude<TeamStatus, 'overdue'>, UiKey> = {
  'not-started': 'statusNotStarted',
  'in-progress': 'statusInProgress',
  'needs-reacknowledge': 'statusReacknowledge',
  'renewal-due': 'statusRenewalDue',
  completed: 'statusCompleted',
};

const STATUS_COLOURS: Record<TeamStatus, string> = {
  overdue: 'Attention',
  'not-started': 'Warning',
  'needs-reacknowledge': 'Warning',
  'renewal-due': 'Warning',
  'in-progress': 'Default',
  completed: 'Good',
};

/** A manager's view of their direct reports: names and statuses in words, nothing more. */
export class TeamCards {
  private readonly dates: HrCards;

  constructor(private readonly pack: LanguagePack) {
    this.dates = new HrCards(pack);
  }

  team(reports: readonly TeamReport[]): CardJson {
    const shown = reports.slice(0, TEAM_ON_CARD);
    const completed = reports.filter((r) => r.status === 'completed').length;
    const t = this.pack.text.bind(this.pack);
    return this.pack.render('team', {
      title: t('teamTitle', { count: reports.length }),
      summary: t('teamSummary', { completed, active: reports.length }),
      people: shown.map((r) => ({ name: short(r.name), status: this.status(r), color: STATUS_COLOURS[r.status] })),
      more: reports.length > shown.length ? t('teamMore', { count: reports.length - shown.length }) : null,
      canRemind: completed < reports.length,
    });
  }

  private status(report: TeamReport): string {
    const due = report.due === undefined ? undefined : this.dates.date(report.due);
    if (report.status === 'overdue') return this.pack.text('teamOverdue', { due: due ?? '' });
    const status = this.pack.text(STATUS_TEXTS[report.status]);
    return due === undefined ? status : `${status}, ${this.pack.text('teamDue', { due })}`;
  }
}
