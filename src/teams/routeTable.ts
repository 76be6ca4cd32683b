import type { ContactRouteName } from './contactRoutes.js';
import type { HrRouteName } from './hrRoutes.js';
import type { CourseRouteName, Route } from './routes.js';

export type RouteName = CourseRouteName | ContactRouteName | HrRouteName;

/** Where a route may run, and whether a card button (not only typing) may reach it. */
export interface RouteRule {
  readonly scope: 'personal' | 'channel';
  readonly card: boolean;
}

const personal = (card: boolean): RouteRule => ({ scope: 'personal', card });
const channel = (card: boolean): RouteRule => ({ scope: 'channel', card });

/** The one table of everything a typed command or card button can ask for. */
export const ROUTE_RULES: Readonly<Record<RouteName, RouteRule>> = {
  start: personal(true),
  next: personal(true),
  later: personal(true),
  open: personal(true),
  answer: personal(true),
  acknowledge: personal(true),
  progress: personal(true),
  language: personal(false),
  help: personal(false),
  ask: personal(true),
  askSend: personal(true),
  report: personal(true),
  reportSend: personal(true),
  faq: personal(true),
  ticketReply: personal(true),
  ticketReopen: personal(true),
  contactHere: channel(false),
  ticketClaim: channel(true),
  ticketResolve: channel(true),
  faqEdit: channel(true),
  faqPublish: channel(true),
  inventory: personal(true),
  hr: personal(false),
  coverage: personal(true),
  hrNotStarted: personal(true),
  hrExport: personal(true),
  hrAudit: personal(false),
  hrRemind: personal(true),
  hrCampaign: personal(true),
  hrCampaignPreview: personal(true),
  hrCampaignSend: personal(true),
  hrCampaignStatus: personal(true),
  hrRoster: personal(false),
  hrRosterSync: personal(true),
  hrRosterImport: personal(true),
};

export function isRouteName(name: unknown): name is RouteName {
  return typeof name === 'string' && Object.hasOwn(ROUTE_RULES, name);
}

export type Routes = Readonly<Record<RouteName, Route>>;
