// Which entry makes which webhook event, the back-off between delivery attempts (a day of them,
// never more), and the priority a chat message asks for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chatPriority,
  DELIVERY_WINDOW_MS,
  eventOf,
  RETRY_MAX_MS,
  retryDelay,
} from '../../domain/integrations';

describe('eventOf', () => {
  it('maps entries to the six events, and the desk’s own bookkeeping to none', () => {
    expect(eventOf({ type: 'created' })).toBe('ticket.created');
    expect(eventOf({ type: 'message', internal: false })).toBe('message.created');
    expect(eventOf({ type: 'message', internal: true })).toBeNull();
    expect(eventOf({ type: 'status', to: 'resolved' })).toBe('ticket.resolved');
    expect(eventOf({ type: 'status', to: 'closed' })).toBe('ticket.updated');
    for (const type of ['priority', 'assignee', 'category']) expect(eventOf({ type })).toBe('ticket.updated');
    expect(eventOf({ type: 'warning' })).toBe('sla.warning');
    expect(eventOf({ type: 'breach' })).toBe('sla.breached');
    for (const type of ['mail', 'mail-sent', 'time-entry', 'escalated', 'anything'])
      expect(eventOf({ type })).toBeNull();
  });
});

describe('retryDelay', () => {
  it('makes 14 attempts in a day when every one fails, the last 20.3 h after the first', () => {
    let at = 0;
    let attempts = 1;
    for (let delay = retryDelay(1, 0, 0); delay !== null; delay = retryDelay(attempts, 0, at)) {
      at += delay;
      attempts++;
    }
    expect(attempts).toBe(14);
    expect(at / 3_600_000).toBeCloseTo(20.26, 2);
  });

  it('waits 30 s, then twice as long each time, up to 4 h', () => {
    const delays = [1, 2, 3, 4, 5, 10, 20, 1000].map((n) => retryDelay(n, 0, 0));
    // The 10th would be 30 s × 2⁹ = 4 h 16 min: capped.
    expect(delays).toEqual([
      30_000,
      60_000,
      120_000,
      240_000,
      480_000,
      RETRY_MAX_MS,
      RETRY_MAX_MS,
      RETRY_MAX_MS,
    ]);
  });

  it('stops when the next attempt would be more than a day after the first', () => {
    expect(retryDelay(3, 0, DELIVERY_WINDOW_MS - 120_000)).toBe(120_000);
    expect(retryDelay(3, 0, DELIVERY_WINDOW_MS - 119_999)).toBeNull();
    expect(() => retryDelay(0, 0, 0)).toThrow(RangeError);
    expect(() => retryDelay(1.5, 0, 0)).toThrow(RangeError);
  });

  it('makes every schedule of failures end within a day, with 10 to 25 attempts', () => {
    // Each attempt takes up to a minute of its own (a slow receiver) before its delay starts.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 40, maxLength: 40 }), (took) => {
        let now = 0;
        let attempts = 0;
        for (;;) {
          now += took[attempts]!;
          attempts++;
          const delay = retryDelay(attempts, 0, now);
          if (delay === null) break;
          expect(delay).toBeGreaterThan(0);
          now += delay;
          expect(now).toBeLessThanOrEqual(DELIVERY_WINDOW_MS);
        }
        expect(attempts).toBeGreaterThanOrEqual(10);
        expect(attempts).toBeLessThanOrEqual(25);
      }),
    );
  });
});

describe('chatPriority', () => {
  it('takes the first P1..P4 written as a word of its own, in any case', () => {
    expect(chatPriority('P1 checkout down', 'P3')).toBe('P1');
    expect(chatPriority('checkout down (p2), maybe P1', 'P3')).toBe('P2');
    expect(chatPriority('priority:P4.', 'P3')).toBe('P4');
    expect(chatPriority('🔥P1🔥 now', 'P3')).toBe('P1');
  });

  it('keeps the fallback for P5, P10, SP1, P1x, and text with no priority', () => {
    for (const text of ['P5 is fine', 'P10 rollout', 'SP1 of the API', 'P1x cable', 'help', '', 'Pé1', 'P_1'])
      expect(chatPriority(text, 'P3'), text).toBe('P3');
  });
});
