// Escalation policies: each step at its own instant after the warning or the breach, and no
// page after an acknowledgement or a resolution; what pages at once.
import { describe, expect, it } from 'vitest';
import {
  aroundTheClock,
  type Chain,
  DEFAULT_POLICY,
  EscalationPolicy,
  pagesAtOnce,
  pendingSteps,
  type Stops,
  stepActs,
  stepKey,
  stepsDue,
} from '../../domain/escalation-policy';

const T = Date.parse('2026-12-06T03:00:00Z'); // a Sunday, 04:00 in Stockholm
const minutes = (n: number) => n * 60_000;

const breach: Chain = { key: 'response#1#breach', on: 'breach', startedAt: T, seq: 9 };
const warning: Chain = { key: 'response#1#warning', on: 'warning', startedAt: T - minutes(48), seq: 7 };
const none: Stops = { acknowledgements: [], resolutions: [] };

describe('the default policy', () => {
  it('notifies the assignee at the warning, pages the on-call at the breach, then the secondary and the manager', () => {
    const due = [...stepsDue(DEFAULT_POLICY, warning), ...stepsDue(DEFAULT_POLICY, breach)];
    expect(due.map((d) => [d.step.to, d.step.by, (d.at - T) / 60_000])).toEqual([
      ['assignee', 'notify', -48],
      ['on-call', 'page', 0],
      ['secondary', 'page', 15],
      ['support-manager', 'page', 30],
    ]);
  });

  it.each([
    ['nobody acknowledged', [], [], [true, true, true]],
    ['the on-call acknowledged after 10 minutes', [T + minutes(10)], [], [true, false, false]],
    ['acknowledged exactly when the secondary is due', [T + minutes(15)], [], [true, false, false]],
    ['the secondary acknowledged after 20 minutes', [T + minutes(20)], [], [true, true, false]],
    ['resolved after 5 minutes', [], [T + minutes(5)], [true, false, false]],
    [
      'acknowledged and resolved before this chain began',
      [T - minutes(60)],
      [T - minutes(30)],
      [true, true, true],
    ],
  ])('%s', (_, acknowledgements, resolutions, acts) => {
    const due = stepsDue(DEFAULT_POLICY, breach);
    expect(due.map((d) => stepActs(d, { acknowledgements, resolutions }))).toEqual(acts);
  });

  it('notifies the assignee at the warning even once a page was acknowledged', () => {
    const [notify] = stepsDue(DEFAULT_POLICY, warning);
    expect(stepActs(notify!, { acknowledgements: [T - minutes(50)], resolutions: [] })).toBe(true);
  });

  it('lists what is left of every chain, soonest first, less what was handled or stopped', () => {
    const handled = new Set([stepKey(warning.key, 0), stepKey(breach.key, 1)]);
    expect(
      pendingSteps(DEFAULT_POLICY, [warning, breach], handled, none).map((d) => [d.chain.key, d.index]),
    ).toEqual([
      ['response#1#breach', 2],
      ['response#1#breach', 3],
    ]);
    const acked = { acknowledgements: [T + minutes(1)], resolutions: [] };
    expect(pendingSteps(DEFAULT_POLICY, [warning, breach], handled, acked)).toEqual([]);
  });

  it('has no steps for a kind the policy does not name', () => {
    const pagesOnly = EscalationPolicy.parse({
      steps: [{ on: 'breach', afterMinutes: 0, to: 'on-call', by: 'page' }],
    });
    expect(stepsDue(pagesOnly, warning)).toEqual([]);
  });
});

describe('around the clock', () => {
  const open = { from: '00:00', to: '24:00' };
  const week = { mon: [open], tue: [open], wed: [open], thu: [open], fri: [open], sat: [open], sun: [open] };
  it.each([
    ['every day 00:00-24:00', week, [], true],
    ['with a holiday', week, [{ date: '2026-12-25' }], false],
    ['Sunday closed', { ...week, sun: [] }, [], false],
    ['Monday 08:00-18:00', { ...week, mon: [{ from: '08:00', to: '18:00' }] }, [], false],
  ])('%s: %s', (_, weekly, holidays, expected) => {
    expect(aroundTheClock({ weekly, holidays })).toBe(expected);
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
