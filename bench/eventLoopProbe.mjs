// Preloaded into the Postwise server by the benchmarks (`node --import`): plain JavaScript, so
// that no TypeScript loader runs inside the process measured. Answers the IPC message
// 'eventLoop' with the event-loop delay since the last answer (p99 and max, in ms) and resets it.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on('message', (message) => {
  if (message !== 'eventLoop') return;
  process.send?.({ p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 });
  delay.reset();
});
process.channel?.unref();
