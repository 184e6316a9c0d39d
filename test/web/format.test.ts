// The clocks in words, as every page says them (web/format.ts, the one place).
import { describe, expect, it } from 'vitest';
import { clockInWords, dueInWords, inZone, type SlaView } from '../../web/format';

const zone = 'Europe/Stockholm';
const at = (iso: string) => Date.parse(iso);
const running: SlaView = {
  responseDueAt: '2026-11-23T13:16:00Z',
  respondedAt: null,
  nextUpdateDueAt: null,
  resolutionDueAt: null,
  paused: false,
  breaches: [],
};

describe('a clock in words', () => {
  it.each([
    [
      'response',
      running,
      'PT4H',
      '2026-11-23T14:00:00Z',
      'new',
      'breached 44 min ago, due Monday 23 Nov, 14:16 CET',
      'breached',
    ],
    [
      'response',
      running,
      'PT4H',
      '2026-11-23T11:06:00Z',
      'new',
      'due Monday 23 Nov, 14:16 CET, in 2 h 10 min',
      'ok',
    ],
    ['update', running, 'PT4H', '2026-11-23T11:06:00Z', 'new', 'starts at the first response', 'none'],
    ['resolution', running, 'when-done', '2026-11-23T11:06:00Z', 'new', 'no clock: when done', 'none'],
    ['update', running, 'best-effort', '2026-11-23T11:06:00Z', 'new', 'no clock: best effort', 'none'],
    [
      'response',
      {
        ...running,
        respondedAt: '2026-11-23T13:28:00Z',
        breaches: [{ clock: 'response', dueAt: '2026-11-23T13:16:00Z', breachedAt: '2026-11-23T13:16:00Z' }],
      },
      'PT4H',
      '2026-11-23T14:00:00Z',
      'open',
      'answered Monday 23 Nov, 14:28 CET, 12 min late',
      'breached',
    ],
    [
      'update',
      { ...running, responseDueAt: null, paused: true },
      'PT4H',
      '2026-11-23T14:00:00Z',
      'pending-customer',
      'paused while we wait for the customer',
      'none',
    ],
    [
      'update',
      { ...running, responseDueAt: null, respondedAt: '2026-11-23T10:00:00Z' },
      'PT4H',
      '2026-11-23T14:00:00Z',
      'resolved',
      'stopped: resolved',
      'done',
    ],
  ] as const)('%s clock (%s target %s) at %s', (clock, sla, target, now, status, text, state) => {
    expect(clockInWords(clock, sla as SlaView, target, at(now), zone, status)).toEqual({ text, state });
  });

  it('names the zone as the mails and the report do, summer and winter', () => {
    expect(inZone('2026-07-02T07:30:00Z', zone)).toBe('Thursday 2 Jul, 09:30 CEST');
    expect(inZone('2026-11-02T07:30:00Z', 'Asia/Tokyo')).toBe('Monday 2 Nov, 16:30 GMT+9');
    expect(dueInWords('2026-11-02T07:30:00Z', at('2026-11-02T07:30:00Z'), zone).state).toBe('breached');
  });
});
