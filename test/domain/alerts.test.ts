// Alerts: the severity table, and what each notification does given what the desk knows.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AlertEvent, type AlertHistory, alertPriority, applyAlert } from '../../domain/alerts';

const event = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  key: 'fp1',
  status: 'firing',
  component: 'player',
  title: 'PlayerDown',
  details: '',
  severity: null,
  startsAt: 1000,
  endsAt: null,
  ...over,
});
describe('alert priority', () => {
  it.each([
    ['critical', 'P1'],
    ['CRITICAL', 'P1'],
    [' page ', 'P1'],
    ['error', 'P2'],
    ['high', 'P2'],
    ['warning', 'P3'],
    ['info', 'P4'],
    ['none', 'P4'],
  ] as const)('maps severity %s to %s', (severity, priority) => {
    expect(alertPriority({ severity, title: 'x' }, 'P3')).toBe(priority);
  });

  it('reads a priority word in the title without severity, else takes the plan default', () => {
    expect(alertPriority({ severity: null, title: 'prod-api-5xx-critical' }, 'P3')).toBe('P1');
    expect(alertPriority({ severity: null, title: 'Disk P2 space' }, 'P4')).toBe('P2');
    expect(alertPriority({ severity: 'bogus', title: 'CPUHigh' }, 'P3')).toBe('P2'); // "high"
    expect(alertPriority({ severity: 'bogus', title: 'Latency' }, 'P4')).toBe('P4');
  });
});

describe('an alert’s firings, whatever order its notifications arrive in', () => {
  const fire = (startsAt: number) => event({ startsAt });
  const resolve = (startsAt: number, endsAt: number) => event({ status: 'resolved', startsAt, endsAt });
  const replay = (events: AlertEvent[]) =>
    events.reduce<AlertHistory>((h, e) => applyAlert(h, e), { firings: [] }).firings;

  it('ends a firing with its own resolve, and one without by the next firing’s start', () => {
    expect(replay([fire(1000), resolve(1000, 1500), fire(3000), fire(5000)])).toEqual([
      { startsAt: 1000, endsAt: 1500, endedBy: 'resolve' },
      { startsAt: 3000, endsAt: 5000, endedBy: 'next' },
      { startsAt: 5000, endsAt: null, endedBy: null },
    ]);
  });

  it('takes a resolve that arrives before its firing: the firing is ended, never left open', () => {
    expect(replay([resolve(1000, 1500), fire(1000)])).toEqual([
      { startsAt: 1000, endsAt: 1500, endedBy: 'resolve' },
    ]);
    // The late firing changes nothing.
    expect(applyAlert({ firings: replay([resolve(1000, 1500)]) }, fire(1000)).firing).toBeNull();
  });

  it('lets a late resolve of an older firing end that firing only, not the one under way', () => {
    const change = applyAlert({ firings: replay([fire(1000), fire(3000)]) }, resolve(1000, 1500));
    expect(change.firings).toEqual([
      { startsAt: 1000, endsAt: 1500, endedBy: 'resolve' },
      { startsAt: 3000, endsAt: null, endedBy: null },
    ]);
    expect(change.ended).toEqual([{ startsAt: 1000, endsAt: 1500, endedBy: 'resolve' }]);
  });

  it('places a resolve without a start (CloudWatch’s OK) on the firing under way, even before it arrives', () => {
    const ok = event({ status: 'resolved', startsAt: null, endsAt: 1500 });
    expect(replay([fire(1000), ok])).toEqual([{ startsAt: 1000, endsAt: 1500, endedBy: 'ok' }]);
    const early = applyAlert({ firings: [] }, ok);
    expect(early).toMatchObject({ firing: null, startlessEnds: [1500] });
    expect(applyAlert(early, fire(1000))).toMatchObject({
      firing: { startsAt: 1000, endsAt: 1500, endedBy: 'ok' },
    });
    // An OK heard before the firing it ends moves to it when that firing is heard of.
    const okLate = event({ status: 'resolved', startsAt: null, endsAt: 3500 });
    expect(replay([fire(1000), okLate, fire(3000)])).toEqual([
      { startsAt: 1000, endsAt: 3000, endedBy: 'next' },
      { startsAt: 3000, endsAt: 3500, endedBy: 'ok' },
    ]);
    // With no firing at all it records nothing (no start, no incident).
    expect(replay([ok])).toEqual([]);
  });

  it('changes nothing for a repeat, and reports what a notification changed', () => {
    expect(applyAlert({ firings: replay([fire(1000)]) }, fire(1000)).firing).toBeNull();
    expect(
      applyAlert({ firings: replay([fire(1000), resolve(1000, 1500)]) }, resolve(1000, 1500)).firing,
    ).toBeNull();
    const refire = applyAlert({ firings: replay([fire(1000)]) }, fire(3000));
    expect(refire).toMatchObject({ isNew: true, firing: { startsAt: 3000, endsAt: null } });
    expect(refire.ended).toEqual([{ startsAt: 1000, endsAt: 3000, endedBy: 'next' }]);
  });

  it('ends in the same firings as the order they were sent in, for every order and repeat', () => {
    // An alert's life: firings at increasing starts, each resolved or not (or heard of only
    // by its resolve); its notifications, repeated, shuffled.
    const life = fc
      .array(
        fc.record({
          gap: fc.integer({ min: 1, max: 10_000 }),
          length: fc.integer({ min: 0, max: 9_999 }),
          heard: fc.constantFrom('firing', 'resolve', 'both', 'startless'),
        }),
        { minLength: 1, maxLength: 6 },
      )
      .map((steps) => {
        let t = 0;
        const sent: AlertEvent[] = [];
        for (const [i, s] of steps.entries()) {
          t += s.gap;
          const start = t;
          const last = i === steps.length - 1;
          // A resolve comes before the next firing starts.
          const end = start + Math.min(s.length, last ? s.length : s.gap - 1);
          if (s.heard !== 'resolve') sent.push(fire(start));
          // CloudWatch's OK names no start: it ends the firing under way at its time.
          if (s.heard === 'startless') sent.push(event({ status: 'resolved', startsAt: null, endsAt: end }));
          else if (s.heard !== 'firing') sent.push(resolve(start, end));
          t = Math.max(t, end);
        }
        return sent;
      });
    fc.assert(
      fc.property(
        life,
        fc.infiniteStream(fc.integer()),
        fc.array(fc.nat(), { maxLength: 4 }),
        (sent, order, repeats) => {
          const inOrder = replay(sent);
          const copies = [...sent, ...repeats.map((r) => sent[r % sent.length]!)];
          const keys = copies.map(() => order.next().value as number);
          const shuffled = copies
            .map((e, i) => [keys[i]!, e] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, e]) => e);
          expect(replay(shuffled)).toEqual(inOrder);
        },
      ),
      { numRuns: 500 },
    );
  });
});
