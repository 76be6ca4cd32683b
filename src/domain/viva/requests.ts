import type { Course, Language } from '../course/course.js';
import type { VivaEntry } from './activity.js';
import type { GraphBody } from './ports.js';

/** The language tags Viva Learning is given for the course's languages. */
const LANGUAGE_TAGS: Readonly<Record<Language, string>> = { en: 'en-us', nl: 'nl-nl' };

/** The external id of the course in one language. */
export function contentIdOf(language: Language): string {
  return `postwise-course-${language}`;
}

/** The course's learning content in one language, opening the chat with Postwise. */
export function contentBody(course: Course, contentUrl: string): GraphBody {
  return {
    title: course.title,
    externalId: contentIdOf(course.language),
    contentWebUrl: contentUrl,
    languageTag: LANGUAGE_TAGS[course.language],
    format: 'Course',
    sourceName: 'Postwise',
  };
}

/** What an entry's activity is in Graph: a learningAssignment or a learningSelfInitiatedCourse. */
function odataTypeOf(entry: VivaEntry): string {
  return entry.kind === 'assignment'
    ? '#microsoft.graph.learningAssignment'
    : '#microsoft.graph.learningSelfInitiatedCourse';
}

/** The fields that change as the person goes: both a create and an update send them. */
function state(entry: VivaEntry): GraphBody {
  const completed = entry.completedAt !== undefined;
  const status = completed ? 'completed' : entry.percent > 0 || entry.kind === 'self' ? 'inProgress' : 'notStarted';
  return {
    '@odata.type': odataTypeOf(entry),
    status,
    completionPercentage: entry.percent,
    ...(completed ? { completedDateTime: entry.completedAt } : {}),
    ...(entry.kind === 'assignment'
      ? {
          assignedDateTime: entry.at,
          // The end of the due day, as Graph's dateTimeTimeZone.
          ...(entry.due === undefined ? {} : { dueDateTime: { dateTime: `${entry.due}T23:59:59`, timeZone: 'UTC' } }),
        }
      : { startedDateTime: entry.at }),
  };
}

/** POST learningCourseActivities: the whole activity. */
export function createBody(userId: string, entry: VivaEntry, contentId: string, providerId: string): GraphBody {
  return {
    ...state(entry),
    ...(entry.kind === 'assignment' ? { assignmentType: 'required' } : {}),
    externalCourseActivityId: entry.externalId,
    learnerUserId: userId,
    learningContentId: contentId,
    learningProviderId: providerId,
  };
}

/** PATCH learningCourseActivities/{id}: what changed. */
export function updateBody(entry: VivaEntry): GraphBody {
  return state(entry);
}
