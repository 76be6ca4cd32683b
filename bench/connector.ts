import { FakeConnector } from '../tests/support/fakeConnector.js';

// Child-process entry: a fake Bot Connector that counts calls without keeping them. Over IPC
// it sends { url } once listening, and { received } in answer to any message.
const connector = await FakeConnector.start({ record: false });
process.on('message', () => process.send?.({ received: connector.received }));
process.on('disconnect', () => process.exit(0));
process.send?.({ url: connector.url });
