// Escalation policies: each step at its own instant after the warning or the breach, and no
// page after an acknowledgement or a resolution; what pages at once.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  EscalationPolicy,
  pagesAtOnce,
  stepActs,
  stepsDue,
} from '../../domain/escalation-policy';

const T = Date.parse('2026-12-06T03:00:00Z'); // a Sunday, 04:00 in Stockholm
const minutes = (n: number) => n * 60_000;

describe('the default policy', () => {
  it('notifies the assignee at the warning, pages the on-call at the breach, then the secondary and the manager', () => {
    const due = stepsDue(DEFAULT_POLICY, { warningAt: T - minutes(48), breachAt: T });
    expect(due.map((d) => [d.step.to, d.step.by, (d.at - T) / 60_000])).toEqual([
      ['assignee', 'notify', -48],
      ['on-call', 'page', 0],
      ['secondary', 'page', 15],
      ['support-manager', 'page', 30],
    ]);
  });

  it.each([
    ['nobody acknowledged', null, null, [true, true, true, true]],
    ['the on-call acknowledged after 10 minutes', T + minutes(10), null, [true, true, false, false]],
    ['acknowledged exactly when the secondary is due', T + minutes(15), null, [true, true, false, false]],
    ['the secondary acknowledged after 20 minutes', T + minutes(20), null, [true, true, true, false]],
    ['resolved before the breach', null, T - minutes(5), [true, false, false, false]],
  ])('%s', (_, acknowledgedAt, resolvedAt, acts) => {
    const due = stepsDue(DEFAULT_POLICY, { warningAt: T - minutes(48), breachAt: T });
    expect(due.map((d) => stepActs(d, { acknowledgedAt, resolvedAt }))).toEqual(acts);
  });

  it('has no steps for a clock that never breaches', () => {
    expect(stepsDue(DEFAULT_POLICY, { warningAt: null, breachAt: null })).toEqual([]);
  });
});

describe('pages at once', () => {
  it.each([
    [{ priority: 'P3', aroundTheClock: false, keyword: true }, 'keyword'],
    [{ priority: 'P1', aroundTheClock: true, keyword: false }, 'p1-around-the-clock'],
    [{ priority: 'P1', aroundTheClock: false, keyword: false }, null],
    [{ priority: 'P2', aroundTheClock: true, keyword: false }, null],
  ])('%o: %s', (ticket, why) => {
    expect(pagesAtOnce(ticket)).toBe(why);
  });
});

describe('a policy as stored', () => {
  it('refuses no steps, an unknown recipient and a delay past a day, by field', () => {
    const bad = EscalationPolicy.safeParse({
      steps: [{ on: 'breach', afterMinutes: 1441, to: 'ceo', by: 'page' }],
    });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'steps.0.afterMinutes',
      'steps.0.to',
    ]);
    expect(EscalationPolicy.safeParse({ steps: [] }).success).toBe(false);
  });
});
