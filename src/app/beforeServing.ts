import type { Content } from '../content/load.js';
import { editedWithoutRevision } from '../domain/course/lessonTexts.js';
import type { CourseService } from '../domain/course/courseService.js';
import { RECOVERY_WINDOW_MS, recoverRecentEventsInBackground } from '../jobs/eventRecovery.js';
import type { Log } from '../log.js';
import type { Stores } from '../storage/stores.js';

/**
 * What is done before anyone is served: events of answers stored just before the process last
 * stopped are recovered (on a shared store in the background, over the window a crash can have
 * left open), lessons edited without a new revision are logged, the version is named. Returns
 * what stops the recovery still under way.
 */
export async function beforeServing(
  course: CourseService,
  content: Content,
  stores: Stores,
  log: Log,
): Promise<() => void> {
  let stopRecovery = () => undefined as void;
  if (stores.changes) {
    stopRecovery = recoverRecentEventsInBackground(
      (userId) => course.recoverEventsOf(userId, RECOVERY_WINDOW_MS),
      stores.changes,
      log,
    );
  } else {
    const recovered = await course.recoverEvents();
    if (recovered > 0) log.info('events.recovered', { count: recovered });
  }
  for (const lesson of await editedWithoutRevision(content.lessonTexts, stores.lessonTexts))
    log.info('content.edited-without-revision', { lesson });
  await stores.settings.recordVersionName(content.version, content.courses.en.versionName);
  return stopRecovery;
}
