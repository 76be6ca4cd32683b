import { systemClock } from '../src/domain/time/clock.js';
import type { Delivery } from '../src/domain/campaigns/delivery.js';
import { DeliveryWorker } from '../src/delivery/worker.js';
import type { Recipient } from '../src/delivery/ports.js';
import { consoleLog, type Log } from '../src/log.js';
import { openLowdbStores } from '../src/storage/lowdb/stores.js';
import { ConnectorRequests } from '../src/teams/connectorRequests.js';

/** What the bench sends a worker process once it is ready. */
export interface WorkerJob {
  readonly dataFile: string;
  /** Requests/s at first (POSTWISE_SEND_RATE) and the most it may rise to (POSTWISE_SEND_RATE_MAX). */
  readonly rate: number;
  readonly maxRate: number;
  readonly serviceUrl: string;
}

/** What a worker process reports: once started, every 200 ms, and when no delivery is open. */
export type WorkerReport =
  | { readonly started: { readonly unconfirmed: number } }
  | { readonly progress: DeliveryWorker['progress'] }
  | { readonly done: { readonly progress: DeliveryWorker['progress']; readonly seconds: number } };

// Child-process entry: the delivery worker on the bench's store, in a process of its own so
// that the bench can kill it with SIGKILL mid-run. Sends { ready } first, then WorkerReports.
/** Prints only what the pace learns from Teams' 429s (no personal data in it). */
const quiet: Log = {
  info: (event, fields) => event === 'delivery.throttled' && consoleLog.info(event, fields),
  error: (event, fields) => consoleLog.error(event, fields),
};

process.once('message', (message) => void run(message as WorkerJob));
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });

async function run(job: WorkerJob): Promise<void> {
  const stores = await openLowdbStores(job.dataFile, new Date());
  const worker = new DeliveryWorker({
    ...stores,
    sender: new ConnectorRequests(async () => undefined, stores.conversations),
    messages: { compose: async (delivery, member) => campaignMessage(delivery, member) },
    clock: systemClock,
    log: quiet,
    rate: job.rate,
    maxRate: job.maxRate,
    serviceUrl: job.serviceUrl,
  });
  const started = performance.now();
  await worker.start();
  process.send?.({ started: { unconfirmed: worker.progress.unconfirmed } } satisfies WorkerReport);
  const timer = setInterval(() => process.send?.({ progress: worker.progress } satisfies WorkerReport), 200);
  await worker.idle();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  await worker.stop();
  await stores.close();
  process.send?.({ done: { progress: worker.progress, seconds } } satisfies WorkerReport);
}

/** A campaign card about the size of the real one: a title, the due date, a note and a Start button. */
function campaignMessage(delivery: Delivery, member: Recipient): Record<string, unknown> {
  const first = (member.name ?? '').split(' ')[0] ?? '';
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          type: 'AdaptiveCard',
          version: '1.5',
          body: [
            {
              type: 'TextBlock',
              text: 'Social media: the ten-minute course',
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
            },
            {
              type: 'TextBlock',
              text: `Hi ${first}, HR asks everyone to take the course by the due date.`,
              wrap: true,
            },
            {
              type: 'FactSet',
              facts: [
                { title: 'Due', value: '2026-12-01' },
                { title: 'Time', value: 'about 10 minutes' },
              ],
            },
            {
              type: 'TextBlock',
              text:
                'What you post as a private person can still reflect on your employer. The course shows ' +
                'how to keep both apart.',
              wrap: true,
            },
          ],
          actions: [{ type: 'Action.Execute', title: 'Start', verb: 'start', data: { campaign: delivery.campaignId } }],
        },
      },
    ],
  };
}
