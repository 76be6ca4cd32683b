import { FakeConnector } from '../tests/support/fakeConnector.js';

/** What the bench sends the connector process once it is ready: the requests Teams takes in any one second. */
export interface ConnectorJob {
  readonly limit: number;
}

// Child-process entry: a fake Bot Connector that throttles the way Teams does (a sliding 1 s
// window per app and tenant, every request counted, refused ones too; 429 with Retry-After: 1
// beyond it) and counts messages per conversation. Over IPC it sends { ready } first, answers
// the ConnectorJob with { url } once listening, and any later message with its counts.
let connector: FakeConnector | undefined;
process.on('message', (message) => {
  if (!connector) {
    const { limit } = message as ConnectorJob;
    void FakeConnector.start({
      record: false,
      throttle: { requests: limit, windowMs: 1000, retryAfterSeconds: 1 },
    }).then((started) => {
      connector = started;
      process.send?.({ url: started.url });
    });
    return;
  }
  process.send?.({
    received: connector.received,
    throttled: connector.throttled,
    peak: connector.peak,
    delivered: [...connector.delivered],
    firstDeliveredAt: connector.firstDeliveredAt,
    lastDeliveredAt: connector.lastDeliveredAt,
    chats: connector.chats.size,
  });
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
