import { describe, expect, it } from 'vitest';
import { LeaseTerms } from '../../../src/domain/leaseTerms.js';

const LEASE = 9_000;

describe('lease terms on one instance’s monotonic clock', () => {
  it('a follower takes over only once it has seen the same row for a whole lease; a new version starts again', () => {
    const terms = new LeaseTerms(LEASE);
    expect(terms.mayTake(0)).toBe(false);
    terms.observe('v1', 1_000);
    expect(terms.mayTake(9_999)).toBe(false);
    terms.observe('v2', 9_999);
    expect(terms.mayTake(18_998)).toBe(false);
    terms.observe('v2', 18_000);
    expect(terms.mayTake(18_999)).toBe(true);
  });

  it('a leader leads for two thirds of a lease after the start of its last good renewal, then stops', () => {
    const terms = new LeaseTerms(LEASE);
    expect(terms.leads(0)).toBe(false);
    terms.renewed(1_000);
    expect(terms.leads(6_999)).toBe(true);
    expect(terms.leads(7_000)).toBe(false);
    // A renewal that started earlier but answered late does not move the count back.
    terms.renewed(4_000);
    terms.renewed(3_000);
    expect(terms.leads(9_999)).toBe(true);
    expect(terms.leads(10_000)).toBe(false);
  });

  it('always stops before any follower may take over, whatever the wall clocks say', () => {
    const leader = new LeaseTerms(LEASE);
    const follower = new LeaseTerms(LEASE);
    // The leader's last good renewal starts at 5 000 and lands before the follower reads it.
    leader.renewed(5_000);
    follower.observe('renewed at 5 000', 5_050);
    let lastLed = 0;
    let firstTaken = Number.POSITIVE_INFINITY;
    for (let t = 5_000; t < 30_000; t += 10) {
      if (leader.leads(t)) lastLed = t;
      if (follower.mayTake(t)) firstTaken = Math.min(firstTaken, t);
    }
    expect(firstTaken - lastLed).toBeGreaterThanOrEqual(LEASE / 3);
  });

  it('after stepping down it watches the row afresh', () => {
    const terms = new LeaseTerms(LEASE);
    terms.observe('v1', 0);
    terms.renewed(100);
    terms.stepDown();
    expect(terms.leads(200)).toBe(false);
    expect(terms.mayTake(20_000)).toBe(false);
  });
});
