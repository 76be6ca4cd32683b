import type { Language } from '../course/course.js';
import type { VivaAssignment, VivaRecord } from './activity.js';
import type { CourseEvent } from '../course/events.js';

/** The durable outbox of course activities, one record per person; every change one atomic update. */
export interface VivaOutboxStore {
  get(userId: string): Promise<VivaRecord | undefined>;
  /** Opens or updates the person's assignment (`questions`: how many the course has, for the percentage). */
  assign(userId: string, assignment: VivaAssignment, questions: number): Promise<void>;
  /** Records the progress a course event makes; `language` for a course the person starts themselves. */
  event(event: CourseEvent, language: Language, questions: number): Promise<void>;
  /** Takes a sent entry out, keeping the id Graph gave a new activity; the record as it is then. */
  delivered(userId: string, entryId: string, externalId: string, graphId?: string): Promise<VivaRecord | undefined>;
  /** Everyone with entries waiting. */
  waiting(): Promise<string[]>;
}

/** What Graph said to one request. */
export type VivaOutcome =
  /** 200, 201, 202 or 204; `id` when it created something. */
  | { readonly kind: 'stored'; readonly id?: string }
  /** 409 to a create: an activity with this external id exists already. */
  | { readonly kind: 'conflict' }
  /** 404: not there. */
  | { readonly kind: 'missing' }
  /** 429, 5xx, no answer in time: try again, after `retryAfterMs` when Graph said so. */
  | { readonly kind: 'busy'; readonly retryAfterMs?: number }
  /** 401 or 403, or no token: a configuration problem (credential, permission, licence). */
  | { readonly kind: 'unauthorized'; readonly status: number }
  /** Any other answer: kept, and tried again much later. */
  | { readonly kind: 'refused'; readonly status: number };

/** A request body, as JSON. */
export type GraphBody = Readonly<Record<string, unknown>>;

/** The Viva Learning calls of one learning provider, app-only. */
export interface VivaLearning {
  /** PATCH learningContents(externalId=…): creates or replaces the content; `id` is Graph's. */
  putContent(externalId: string, body: GraphBody): Promise<VivaOutcome>;
  /** POST learningCourseActivities. */
  createActivity(body: GraphBody): Promise<VivaOutcome>;
  /** PATCH learningCourseActivities/{id}. */
  updateActivity(id: string, body: GraphBody): Promise<VivaOutcome>;
  /** GET learningCourseActivities(externalCourseActivityId=…): `id` when found. */
  findActivity(externalId: string): Promise<VivaOutcome>;
}
