import { FakeConnector } from '../tests/support/fakeConnector.js';

// Child-process entry: a fake Bot Connector that enforces Teams' global limit (50 requests in
// any 1 s, 429 with Retry-After: 1 beyond it) and counts messages per conversation. Over IPC it
// sends { url } once listening, and its counts in answer to any message.
const connector = await FakeConnector.start({ record: false, throttle: { requests: 50, windowMs: 1000, retryAfterSeconds: 1 } });
process.on('message', () =>
  process.send?.({
    received: connector.received,
    throttled: connector.throttled,
    peak: connector.peak,
    delivered: [...connector.delivered],
    chats: connector.chats.size,
  }),
);
process.on('disconnect', () => process.exit(0));
process.send?.({ url: connector.url });
