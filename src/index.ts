import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/contentError.js';
import { startPostwise } from './app.js';
import { consoleLog } from './log.js';

try {
  const app = await startPostwise(loadConfig(process.env));
  const stop = () => {
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
