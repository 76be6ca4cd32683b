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
  /** The unreachable and failed deliveries, by id (so by person). */
  readonly notReached: readonly NotReached[];
}

interface SendTally {
  pending: number;
  sent: number;
  retrying: number;
  unconfirmed: number;
  readonly notReached: Map<string, NotReached>;
}

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
    if (!send) this.sends.set(d.sendId, (send = { pending: 0, sent: 0, retrying: 0, unconfirmed: 0, notReached: new Map() }));
    if (before !== undefined) count(send, before, -1);
    count(send, d.state, 1);
    send.notReached.delete(d.id);
    if (d.state === 'unreachable' || d.state === 'failed') send.notReached.set(d.id, { state: d.state, key: d.memberKey, reason: d.reason ?? 'unknown', ...(d.problem ? { problem: d.problem } : {}) });
    this.states.set(d.id, d.state);
  }

  /** Whether a delivery with this id is counted. */
  has(id: string): boolean {
    return this.states.has(id);
  }

  of(sendId: string): SendFigures {
    const send = this.sends.get(sendId);
    if (!send) return { pending: 0, sent: 0, retrying: 0, unconfirmed: 0, notReached: [] };
    const { pending, sent, retrying, unconfirmed, notReached } = send;
    return { pending, sent, retrying, unconfirmed, notReached: [...notReached].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, u]) => u) };
  }
}

function count(send: SendTally, state: DeliveryState, sign: 1 | -1): void {
  if (state === 'pending' || state === 'sending') send.pending += sign;
  else if (state !== 'unreachable' && state !== 'failed') send[state] += sign;
}
