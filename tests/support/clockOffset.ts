// Preloaded (`node --import tsx --import tests/support/clockOffset.ts`) by tests that give one instance a wrong
// wall clock: Date.now() and `new Date()` are CLOCK_OFFSET_MS ahead (or behind, if negative) in that process, as on
// a machine whose clock drifted; performance.now(), the monotonic clock, is left alone. Production code has no such
// hook.
const offsetMs = Number(process.env.CLOCK_OFFSET_MS ?? '0');
const RealDate = Date;

class OffsetDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return RealDate.now() + offsetMs;
  }
}

globalThis.Date = OffsetDate as DateConstructor;
