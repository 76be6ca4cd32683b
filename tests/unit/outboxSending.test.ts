import { describe, expect, it } from 'vitest';
import { turnDeadline, withinDeadline } from '../../src/domain/time/turnDeadline.js';
import { OutboxSending } from '../../src/jobs/outboxSending.js';
import { collectingLog } from '../support/harness.js';

describe('the leader’s sending of an outbox', () => {
  it('sends what a turn added outside that turn: its deadline does not end the sending', async () => {
    const seen: (number | undefined)[] = [];
    const sending = new OutboxSending({
      name: 'test',
      outbox: { waiting: async () => [] },
      log: collectingLog(),
      sendFor: async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        seen.push(turnDeadline());
        return { kind: 'done' };
      },
    });
    sending.start();
    await withinDeadline(Date.now() + 5, async () => {
      expect(turnDeadline()).toBeDefined();
      sending.notify('a1');
    });
    await sending.idle();
    await sending.stop();
    expect(seen).toEqual([undefined]);
  });
});
