/**
 * src/index.ts for a bot process whose Microsoft Graph tokens are POSTWISE_TEST_GRAPH_TOKEN (a fake Graph's), the way
 * the in-process harness passes a credential: for process tests of Graph features, with no token endpoint.
 */
import { startPostwise } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const token = process.env.POSTWISE_TEST_GRAPH_TOKEN ?? 'fake';
const app = await startPostwise(loadConfig(process.env), {
  graphCredential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
});
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
