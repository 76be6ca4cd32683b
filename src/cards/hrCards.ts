import type { Campaign } from '../domain/campaigns/campaign.js';
import type { RosterChange } from '../domain/roster/rosterService.js';
import type { RosterProblem } from '../directory/csvRoster.js';
import { INVENTORY_STEP, PLATFORMS, type InventoryTotals, type Platform } from '../domain/inventory/inventory.js';
import { completedShare, type Counts, type Coverage, type MemberReport } from '../domain/coverage/coverageService.js';
import { FIELD_TEXTS, ISSUE_TEXTS, PLATFORM_NAMES } from './hrTexts.js';
import { plain } from './contactCards.js';
import { retentionData } from './refresherCards.js';
import type { Retention } from '../domain/refreshers/retention.js';
import type { CardJson } from './templates.js';
import type { LanguagePack } from './languagePack.js';

/** How many names or groups one card lists, to stay well under Teams' message size. */
export const LIST_ON_CARD = 40;
/** Departments and roles on the coverage card (each with a line of counts); the export has all. */
const GROUPS_ON_CARD = 30;
/** Departments on the coverage chart: more bars would be too thin to read. */
const DEPARTMENTS_ON_CHART = 15;
/** Departments a card's department choice offers. */
export const DEPARTMENT_CHOICES = 150;
/** Longest name shown on a card; longer ones end in an ellipsis. */
const NAME_ON_CARD = 60;

/** A roster name as a card shows it: typed text, never markup, and not longer than NAME_ON_CARD. */
export function short(name: string): string {
  return plain(name.length > NAME_ON_CARD ? `${name.slice(0, NAME_ON_CARD - 1)}…` : name);
}

export interface RosterFacts {
  readonly active: number;
  readonly inactive: number;
  readonly departments: number;
  readonly updatedAt?: string;
}

/** Cards for HR, and the campaign and inventory cards employees get. */
export class HrCards {
  constructor(readonly pack: LanguagePack) {}

  private get locale(): string {
    return this.pack.language === 'nl' ? 'nl-NL' : 'en-GB';
  }

  /** A YYYY-MM-DD date as people write it in this language. */
  date(day: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${day}T12:00:00Z`),
    );
  }

  /** The message a campaign or reminder brings to an employee's personal chat. */
  campaignMessage(kind: 'campaign' | 'reminder' | 'overdue', campaign: Campaign): CardJson {
    const due = this.date(campaign.due);
    const course = this.pack.course;
    const title = this.pack.text(
      kind === 'campaign' ? 'campaignTitle' : kind === 'reminder' ? 'reminderTitle' : 'overdueTitle',
      { due },
    );
    const intro =
      kind === 'campaign'
        ? this.pack.text('campaignIntro', { lessons: course.lessons.length, minutes: course.minutes })
        : this.pack.text('reminderIntro');
    return this.pack.render('campaignMessage', {
      title,
      intro,
      overdue: kind === 'overdue',
      note: kind === 'campaign' && campaign.note ? plain(campaign.note) : null,
      action: this.pack.text(kind === 'campaign' ? 'start' : 'continue'),
    });
  }

  inventory(): CardJson {
    return this.pack.render('inventory', {
      platforms: PLATFORMS.map((p) => ({ title: this.platformTitle(p), value: p })),
    });
  }

  coverage(
    coverage: Coverage,
    inventory: InventoryTotals,
    retention: Retention = { answered: 0, correct: 0, lessons: [], withheld: 0 },
  ): CardJson {
    const t = this.pack.text.bind(this.pack);
    const { overall } = coverage;
    const hasRoster = overall.active > 0;
    const percent = (c: Counts) => Math.round(completedShare(c) * 100);
    // Renewal due only where acknowledgements lapse: the line grows a part for it.
    const renewal = (c: Counts) => (c.renewalDue ? ` ${t('coverageRenewalDue', { count: c.renewalDue })}` : '');
    const line = (c: Counts) =>
      t('coverageRow', {
        completed: c.completed,
        inProgress: c.inProgress,
        reacknowledge: c.reacknowledge,
        notStarted: c.notStarted,
        active: c.active,
        percent: percent(c),
        overdue: c.overdue,
        unreachable: c.unreachable,
      }) + renewal(c);
    const reacknowledgeFact =
      coverage.lessonsChanged > 0
        ? t('statusReacknowledgeChanged', { count: coverage.lessonsChanged })
        : t('statusReacknowledge');
    // Every person in exactly one of these; they add up to the active roster.
    const statuses = [
      { legend: t('statusCompleted'), value: overall.completed, color: 'good' },
      { legend: t('statusInProgress'), value: overall.inProgress, color: 'warning' },
      { legend: t('statusReacknowledge'), value: overall.reacknowledge, color: 'neutral', fact: reacknowledgeFact },
      { legend: t('statusNotStarted'), value: overall.notStarted, color: 'attention' },
      ...(overall.renewalDue === undefined
        ? []
        : [{ legend: t('statusRenewalDue'), value: overall.renewalDue, color: 'accent' }]),
    ];
    const departments = coverage.byDepartment.slice(0, GROUPS_ON_CARD);
    const chartDepartments = departments.slice(0, DEPARTMENTS_ON_CHART);
    const roles = coverage.byRole.slice(0, GROUPS_ON_CARD);
    const hidden = coverage.byDepartment.length - departments.length + coverage.byRole.length - roles.length;
    const enough = inventory.respondents >= INVENTORY_STEP;
    return this.pack.render('hrCoverage', {
      ...retentionData(this.pack, retention),
      hasRoster,
      summary: hasRoster
        ? t('coverageSummary', {
            completed: overall.completed,
            active: overall.active,
            percent: percent(overall),
            version: coverage.versionName,
          })
        : t('coverageEmpty'),
      // A state nobody is in takes no room in the legend; the facts beside the chart list them all.
      donut: statuses.filter((s) => s.value > 0),
      facts: hasRoster
        ? [
            ...statuses.map((s) => ({ title: s.fact ?? s.legend, value: String(s.value) })),
            { title: t('statusOverdue'), value: String(overall.overdue) },
            { title: t('statusUnreachable'), value: String(overall.unreachable) },
          ]
        : [],
      // One bar per department, its name above it at full width, split into the states people are in:
      // whole people, no value axis.
      bars: chartDepartments.map(({ name, counts: c }) => {
        const values = [c.completed, c.inProgress, c.reacknowledge, c.notStarted, c.renewalDue ?? 0];
        const parts = statuses.map((s, i) => ({ legend: s.legend, color: s.color, value: values[i] ?? 0 }));
        return { title: short(name), data: parts.filter((s) => s.value > 0) };
      }),
      departments: departments.map((d) => ({ name: short(d.name), line: line(d.counts) })),
      roles: roles.map((r) => ({ name: short(r.name), line: line(r.counts) })),
      more: hidden > 0 ? t('rosterProblemsMore', { count: hidden }) : null,
      inventoryTitle: enough
        ? t('inventoryResults', { count: inventory.respondents })
        : t('inventoryResultsFew', { count: INVENTORY_STEP }),
      inventoryNote: enough ? null : t('inventoryTooFew', { count: INVENTORY_STEP }),
      inventory: enough
        ? PLATFORMS.map((p) => ({ title: this.platformTitle(p), value: String(inventory.counts[p] ?? 0) }))
        : [],
    });
  }

  /** The first of those who have not started, and how many there are. */
  notStarted(first: { readonly total: number; readonly reports: readonly MemberReport[] }): CardJson {
    const shown = first.reports.slice(0, LIST_ON_CARD);
    const { total } = first;
    return this.pack.render('hrPeople', {
      title: total === 0 ? this.pack.text('nobodyNotStarted') : this.pack.text('notStartedTitle', { count: total }),
      people: shown.map((r) => ({
        name: short(r.member.name),
        detail: short([r.member.department, r.member.role].filter((x) => x !== '').join(' · ')),
      })),
      more: total > shown.length ? this.pack.text('notStartedMore', { count: total - shown.length }) : null,
    });
  }

  roster(facts: RosterFacts, graph: boolean, notice?: string): CardJson {
    const t = this.pack.text.bind(this.pack);
    return this.pack.render('hrRoster', {
      notice: notice ?? null,
      graph,
      facts: [
        { title: t('rosterActive'), value: String(facts.active) },
        { title: t('rosterInactive'), value: String(facts.inactive) },
        { title: t('rosterDepartments'), value: String(facts.departments) },
        {
          title: t('rosterUpdated'),
          value: facts.updatedAt ? this.date(facts.updatedAt.slice(0, 10)) : t('rosterNever'),
        },
      ],
      howTo: graph ? t('rosterFromGraph') : t('rosterHowTo'),
    });
  }

  /** What a dropped roster file would change, its problems, and the button to import it. */
  rosterPreview(
    upload: string,
    fileName: string,
    change: RosterChange,
    valid: number,
    problems: readonly RosterProblem[],
  ): CardJson {
    const t = this.pack.text.bind(this.pack);
    const shown = problems.slice(0, LIST_ON_CARD);
    const clean = problems.length === 0;
    return this.pack.render('hrRosterPreview', {
      title: t('rosterPreviewTitle', { name: short(fileName) }),
      facts: [
        { title: t('rosterAdded'), value: String(change.added) },
        { title: t('rosterChanged'), value: String(change.updated) },
        { title: t('rosterBack'), value: String(change.reactivated) },
        { title: t('rosterDeactivated'), value: String(change.deactivated) },
        { title: t('rosterUnchanged'), value: String(change.unchanged) },
      ],
      problemsTitle: clean
        ? null
        : valid === 0
          ? t('rosterNothingValid')
          : t('rosterProblems', { count: problems.length }),
      problems: shown.map((p) => {
        const reason = this.rosterProblem(p);
        return p.line > 0 ? t('rosterProblemLine', { line: p.line, reason }) : reason;
      }),
      more: problems.length > shown.length ? t('rosterProblemsMore', { count: problems.length - shown.length }) : null,
      canImport: valid > 0,
      clean,
      importTitle: clean ? t('rosterImport') : t('rosterImportValid', { count: valid }),
      upload,
      acceptErrors: clean ? 'no' : 'yes',
    });
  }

  link(text: string, url: string): CardJson {
    return this.pack.render('hrLink', { text, url });
  }

  /** What is wrong with a roster file or row, in this language. */
  rosterProblem(problem: RosterProblem): string {
    const texts = problem.issues.map(({ code, values = {}, fields = [] }) => {
      const found =
        values.found === undefined || values.found === '' ? this.pack.text('rosterFoundNothing') : values.found;
      const names = fields.map((f) => this.pack.text(FIELD_TEXTS[f])).join(', ');
      return this.pack.text(ISSUE_TEXTS[code], { ...values, found, field: names, columns: names });
    });
    const text = texts.join('; ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  private platformTitle(p: Platform): string {
    return p === 'blog'
      ? this.pack.text('platBlog')
      : p === 'other'
        ? this.pack.text('platOther')
        : p === 'none'
          ? this.pack.text('platNone')
          : PLATFORM_NAMES[p];
  }
}
