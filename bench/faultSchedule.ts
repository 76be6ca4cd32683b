import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults, FaultProxy } from '../tests/support/faultProxy.js';
import { seededRandom } from './coursePath.js';

/** The spells of faults the soak draws from, with their shares; a black hole cuts one instance off at a time. */
const SPELLS: readonly { readonly share: number; readonly name: string; readonly faults: Faults }[] = [
  { share: 0.35, name: 'none', faults: {} },
  { share: 0.2, name: 'latency', faults: { latencyMs: [50, 500] } },
  { share: 0.2, name: 'busy', faults: { latencyMs: [10, 100], busy: 0.1, timedOut: 0.03 } },
  { share: 0.1, name: 'resets', faults: { reset: 0.05 } },
  { share: 0.15, name: 'black hole', faults: { blackHole: true } },
];

/** How long a spell lasts, in ms; black holes are kept shorter. */
const SPELL_MS: readonly [number, number] = [4_000, 15_000];
const BLACK_HOLE_MS: readonly [number, number] = [2_000, 8_000];

/**
 * Faults injected at random on each instance's proxy until `stop` is called: spells of latency, 503/500 shares,
 * resets and short black holes, one instance black-holed at most at any time. Resolves with the spells drawn, by
 * name, once every proxy is healed.
 */
export function injectFaults(
  proxies: readonly FaultProxy[],
  seed: number,
): { stop: () => Promise<Map<string, number>> } {
  const random = seededRandom(seed);
  const drawn = new Map<string, number>();
  const stopping = new AbortController();
  let holes = 0;
  const between = ([low, high]: readonly [number, number]) => low + random() * (high - low);
  const run = async (proxy: FaultProxy) => {
    while (!stopping.signal.aborted) {
      let roll = random();
      let spell = SPELLS[0]!;
      for (const s of SPELLS) {
        spell = s;
        if ((roll -= s.share) < 0) break;
      }
      if (spell.faults.blackHole && holes > 0) spell = SPELLS[0]!;
      const hole = spell.faults.blackHole === true;
      drawn.set(spell.name, (drawn.get(spell.name) ?? 0) + 1);
      if (hole) holes += 1;
      proxy.set(spell.faults);
      await sleep(between(hole ? BLACK_HOLE_MS : SPELL_MS), undefined, { signal: stopping.signal }).catch(() => {});
      if (hole) holes -= 1;
      proxy.heal();
    }
  };
  const running = Promise.all(proxies.map(run));
  return {
    stop: async () => {
      stopping.abort();
      await running;
      for (const proxy of proxies) proxy.heal();
      return drawn;
    },
  };
}
