import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/contentError.js';
import { startPostwise } from './app.js';
import { consoleLog } from './log.js';

/** The longest a signal waits for the app to close before the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 15_000;

try {
  const app = await startPostwise(loadConfig(process.env));
  const stop = () => {
    // A backstop: close() cuts busy connections after a grace period, but a stuck write must not keep the process.
    setTimeout(() => {
      consoleLog.error('shutdown.timed-out', new Error(`not stopped after ${SHUTDOWN_LIMIT_MS / 1000} s`));
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        consoleLog.error('shutdown.failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  if (error instanceof ConfigError || error instanceof ContentError) {
    console.error(error.message);
  } else {
    consoleLog.error('startup.failed', error);
  }
  process.exit(1);
}
