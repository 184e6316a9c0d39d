// Targets by ticket type (Cloudomation premium: "tiered response timelines ... tiered to ticket
// type and severity", "guaranteed resolution timelines for different ticket types"): a level
// may hold a category to its own targets; a category change is judged like a priority change.
import { describe, expect, it } from 'vitest';
import { foldClocks } from '../../domain/clocks';
import { explain } from '../../domain/explain';
import { clockRule, PlanSchema } from '../../domain/plans';
import type { Category, TicketEvent } from '../../domain/ticket';
import { at, preset } from '../support';

const premium = preset('cloudomation-premium');
const VIENNA = 'Europe/Vienna';
const t = (local: string) => at(local, VIENNA);

describe('the Cloudomation premium tiers, from the seed’s words', () => {
  // [priority, category, clock, target, override]
  const table: [string, Category | null, 'response' | 'resolution', string, Category | null][] = [
    ['P2', null, 'response', 'PT4H', null],
    ['P2', 'bug', 'response', 'PT4H', null],
    ['P2', 'configuration-error', 'resolution', 'P5D', null],
    ['P2', 'configuration-request', 'response', 'PT4H', null],
    ['P2', 'configuration-request', 'resolution', 'P5D', 'configuration-request'],
    ['P3', 'configuration-request', 'resolution', 'P10D', 'configuration-request'],
    ['P1', 'advice', 'response', 'P1D', 'advice'],
    ['P1', 'advice', 'resolution', 'when-done', 'advice'],
    ['P4', 'advice', 'response', 'P2D', 'advice'],
    ['P2', 'feature-request', 'response', 'P2D', 'feature-request'],
    ['P2', 'feature-request', 'resolution', 'when-done', 'feature-request'],
  ];
  it.each(table)('%s %s: %s target %s', (priority, category, clock, target, override) => {
    const rule = clockRule(premium, priority as 'P1', clock, category);
    expect(rule.target).toBe(target);
    expect(rule.override).toBe(override);
  });

  it('answers advice within a business day, or in the level’s own time where that is longer', () => {
    for (const id of ['cloudomation-premium', 'cloudomation-24x7'] as const) {
      const plan = preset(id);
      for (const p of ['P1', 'P2', 'P3', 'P4'] as const) {
        const advice = clockRule(plan, p, 'response', 'advice').duration!;
        const level = clockRule(plan, p, 'response').duration!;
        expect(advice).toEqual(level.days > 1 ? level : { days: 1, ms: 0 });
      }
    }
  });

  it('refuses an unknown ticket type in a plan', () => {
    const plan = structuredClone(premium) as unknown as { levels: { P1: { byCategory: object } } };
    plan.levels.P1.byCategory = { outage: { response: 'PT1H' } };
    expect(PlanSchema.safeParse(plan).success).toBe(false);
  });
});

describe('a category change', () => {
  // Monday 23 November 2026, 09:00 in Vienna: a P2 feature request.
  const created: TicketEvent = {
    type: 'created',
    at: t('2026-11-23 09:00'),
    priority: 'P2',
    category: 'feature-request',
  };

  it('is judged from the clock’s start under the new type, as a priority change is', () => {
    const before = foldClocks(premium, [created], t('2026-11-23 09:30'));
    expect(before.response.dueAt).toBe(t('2026-11-24 17:00')); // two business days of 8 open hours
    expect(before.response.override).toBe('feature-request');
    expect(before.resolution.state).toBe('not-applicable');
    const asBug: TicketEvent = {
      type: 'category',
      at: t('2026-11-23 10:00'),
      from: 'feature-request',
      to: 'bug',
    };
    const after = foldClocks(premium, [created, asBug], t('2026-11-23 10:00'));
    expect(after.response.dueAt).toBe(t('2026-11-23 13:00')); // 4 h from 09:00
    expect(after.response.override).toBeNull();
    expect(after.resolution.dueAt).toBe(t('2026-11-27 17:00')); // P2: 5 business days
  });

  it('leaves a stopped clock judged by the type it stopped under', () => {
    const reply: TicketEvent = {
      type: 'message',
      at: t('2026-11-24 15:00'),
      author: 'agent',
      internal: false,
    };
    const open: TicketEvent = { type: 'status', at: t('2026-11-24 15:00'), from: 'new', to: 'open' };
    const asBug: TicketEvent = {
      type: 'category',
      at: t('2026-11-24 16:00'),
      from: 'feature-request',
      to: 'bug',
    };
    const state = foldClocks(premium, [created, reply, open, asBug], t('2026-11-24 16:00'));
    // Answered after 1 day 6 h: within the feature request's two days; not a bug's breach.
    expect(state.response.state).toBe('stopped');
    expect(state.response.override).toBe('feature-request');
    expect(state.breaches).toEqual([]);
  });

  it('is named by explain', () => {
    const [response] = explain(premium, [created], t('2026-11-23 09:30'));
    expect(response!.override).toBe('feature-request');
    expect(response!.summary).toMatch(
      /^response clock: the target for P2 feature-request tickets is 2 business days \(\d+ h of open time\) /,
    );
  });
});
