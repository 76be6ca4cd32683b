import { CAMPAIGNS_ROUTES } from './routes/campaigns.js';
import { COURSE_ROUTES } from './routes/course.js';
import { COVERAGE_ROUTES } from './routes/coverage.js';
import { ENROLMENT_ROUTES } from './routes/enrolment.js';
import { GROUPS_ROUTES } from './routes/groups.js';
import { INVENTORY_ROUTES } from './routes/inventory.js';
import { ITEMS_ROUTES } from './routes/items.js';
import { CONTACT_ROUTES } from './routes/contact.js';
import { REFRESHER_ROUTES } from './routes/refreshers.js';
import { RENEWAL_ROUTES } from './routes/renewal.js';
import { ROSTER_ROUTES } from './routes/roster.js';
import { TEAM_ROUTES } from './routes/team.js';
import { SCHEDULE_ROUTES } from './routes/schedule.js';
import { UNDERSTANDING_ROUTES } from './routes/understanding.js';
import { WELCOME_ROUTES } from './routes/welcome.js';

/** Everything a person can ask the bot for. */
export const ROUTES = [
  ...WELCOME_ROUTES,
  ...COURSE_ROUTES,
  ...CONTACT_ROUTES,
  ...ROSTER_ROUTES,
  ...CAMPAIGNS_ROUTES,
  ...ENROLMENT_ROUTES,
  ...SCHEDULE_ROUTES,
  ...GROUPS_ROUTES,
  ...COVERAGE_ROUTES,
  ...UNDERSTANDING_ROUTES,
  ...ITEMS_ROUTES,
  ...INVENTORY_ROUTES,
  ...REFRESHER_ROUTES,
  ...TEAM_ROUTES,
  ...RENEWAL_ROUTES,
] as const;

export type Route = (typeof ROUTES)[number];
export type RouteName = Route['name'];
/** The routes that can be typed. */
export type TypedRoute = Extract<Route, { readonly words: unknown }>;
