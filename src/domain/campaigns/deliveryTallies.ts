import type { Delivery, DeliveryState } from './delivery.js';
import type { ReachProblem } from './deliveryPolicy.js';

/** A delivery that did not reach its person. */
export interface NotReached {
  readonly state: 'unreachable' | 'failed';
  readonly key: string;
  readonly reason: string;
  readonly problem?: ReachProblem;
}

/** How far one campaign's delivery has got: counts, and the deliveries that did not reach their person. */
export interface SendFigures {
  /** Not sent yet, including messages in flight. */
  readonly pending: number;
  readonly sent: number;
  readonly retrying: number;
  readonly unconfirmed: number;
  readonly unreachableCount: number;
  readonly failedCount: number;
  /** The unreachable deliveries by id (so by person), then the failed ones, from the first; take what you list. */
  readonly notReached: Iterable<NotReached>;
}

interface SendTally {
  pending: number;
  sent: number;
  retrying: number;
  unconfirmed: number;
  readonly notReached: Map<string, NotReached>;
  /** Ids of the unreachable and of the failed deliveries, each kept sorted. */
  readonly unreachable: string[];
  readonly failed: string[];
}

/** Every campaign's tallies as DeliveryTallies.saved() gives them. */
export interface SavedTallies {
  readonly ids: readonly string[];
  readonly states: readonly DeliveryState[];
  readonly sends: readonly (Omit<SendTally, 'notReached'> & {
    readonly sendId: string;
    readonly notReached: readonly [string, NotReached][];
  })[];
}

/** Deliveries not reached read at a time. */
const PAGE = 64;

/** Running counts of every campaign's deliveries by state, kept up to date as deliveries are written. */
export class DeliveryTallies {
  private readonly states = new Map<string, DeliveryState>();
  private readonly sends = new Map<string, SendTally>();

  /** A campaign delivery as it was written (reminder rounds are not counted). */
  put(d: Readonly<Delivery>): void {
    if (d.kind !== 'campaign') return;
    const before = this.states.get(d.id);
    if (before === d.state) return;
    let send = this.sends.get(d.sendId);
    if (!send)
      this.sends.set(
        d.sendId,
        (send = {
          pending: 0,
          sent: 0,
          retrying: 0,
          unconfirmed: 0,
          notReached: new Map(),
          unreachable: [],
          failed: [],
        }),
      );
    if (before !== undefined) count(send, before, -1);
    count(send, d.state, 1);
    if (before === 'unreachable' || before === 'failed') remove(send[before], d.id);
    send.notReached.delete(d.id);
    if (d.state === 'unreachable' || d.state === 'failed') {
      send.notReached.set(d.id, {
        state: d.state,
        key: d.memberKey,
        reason: d.reason ?? 'unknown',
        ...(d.problem ? { problem: d.problem } : {}),
      });
      insert(send[d.state], d.id);
    }
    this.states.set(d.id, d.state);
  }

  /** The counts and the deliveries not reached, JSON-able: what restore() takes. */
  saved(): SavedTallies {
    return {
      ids: [...this.states.keys()],
      states: [...this.states.values()],
      sends: [...this.sends].map(([sendId, t]) => ({ ...t, sendId, notReached: [...t.notReached] })),
    };
  }

  /** Takes in what saved() gave, in place of nothing counted. */
  restore(saved: SavedTallies): void {
    if (this.states.size > 0) throw new Error('Tallies are restored only in place of none.');
    saved.ids.forEach((id, i) => this.states.set(id, saved.states[i] as DeliveryState));
    for (const { sendId, notReached, ...send } of saved.sends)
      this.sends.set(sendId, { ...send, notReached: new Map(notReached) });
  }

  /** Whether a delivery with this id is counted. */
  has(id: string): boolean {
    return this.states.has(id);
  }

  of(sendId: string): SendFigures {
    const send = this.sends.get(sendId);
    if (!send)
      return { pending: 0, sent: 0, retrying: 0, unconfirmed: 0, unreachableCount: 0, failedCount: 0, notReached: [] };
    const { pending, sent, retrying, unconfirmed, notReached } = send;
    return {
      pending,
      sent,
      retrying,
      unconfirmed,
      unreachableCount: send.unreachable.length,
      failedCount: send.failed.length,
      // Read lazily: a card that lists the first few reads only those.
      notReached: (function* () {
        for (const ids of [send.unreachable, send.failed]) {
          // A page at a time, each a copy: writes between pages can move a person by a place at most.
          for (let at = 0; at < ids.length; at += PAGE) {
            for (const id of ids.slice(at, at + PAGE)) {
              const u = notReached.get(id);
              if (u) yield u;
            }
          }
        }
      })(),
    };
  }
}

function count(send: SendTally, state: DeliveryState, sign: 1 | -1): void {
  if (state === 'pending' || state === 'sending') send.pending += sign;
  else if (state !== 'unreachable' && state !== 'failed') send[state] += sign;
}

/** Where `id` is or would go in the sorted `ids`. */
function position(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ids[mid] as string) < id) low = mid + 1;
    else high = mid;
  }
  return low;
}

function insert(ids: string[], id: string): void {
  ids.splice(position(ids, id), 0, id);
}

function remove(ids: string[], id: string): void {
  const at = position(ids, id);
  if (ids[at] === id) ids.splice(at, 1);
}
