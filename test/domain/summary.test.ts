// The summary a write keeps on the ticket must judge every clock as the fold would, at any
// moment after the write: the monthly report reads it instead of replaying the timeline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldClocks, type SlaState } from '../../domain/clocks';
import type { Priority } from '../../domain/plans';
import {
  breachedBy,
  breachesAt,
  firstResponseBy,
  outcomeAt,
  summarize,
  updateBreachesAt,
} from '../../domain/summary';
import type { TicketEvent } from '../../domain/ticket';
import { at, HOUR, MINUTE, preset } from '../support';

/** The report's outcome of a clock from a fold at `asOf` (how reports judged before summaries). */
function foldOutcome(sla: SlaState, clock: 'response' | 'resolution') {
  if (sla[clock].state === 'not-applicable') return 'no target';
  if (sla.breaches.some((b) => b.clock === clock)) return 'breached';
  return sla[clock].state === 'stopped' ? 'met' : 'pending';
}

describe('the SLA summary on a ticket', () => {
  it('judges response, resolution, update breaches and first response as the fold does, at any later moment', () => {
    const plan = preset('platformsh-enterprise');
    const created = at('2026-11-23 09:00', 'Europe/Paris');
    const step = fc.record({
      after: fc.integer({ min: 1, max: 3 * 24 * 60 }),
      kind: fc.constantFrom('reply', 'pause', 'resume', 'resolve', 'note'),
    });
    fc.assert(
      fc.property(
        fc.constantFrom<Priority>('P1', 'P2', 'P3', 'P4'),
        fc.array(step, { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 10 * 24 * 60 }), { minLength: 1, maxLength: 4 }),
        (priority, steps, laters) => {
          const events: TicketEvent[] = [{ type: 'created', at: created, priority }];
          let t = created;
          let status: 'new' | 'open' | 'pending-customer' | 'resolved' = 'new';
          for (const { after, kind } of steps) {
            t += after * MINUTE;
            if (kind === 'reply' && status !== 'resolved') {
              events.push({ type: 'message', at: t, author: 'agent', internal: false });
              if (status === 'new') {
                events.push({ type: 'status', at: t, from: 'new', to: 'open' });
                status = 'open';
              }
            } else if (kind === 'pause' && (status === 'open' || status === 'new')) {
              events.push({ type: 'status', at: t, from: status, to: 'pending-customer' });
              status = 'pending-customer';
            } else if (kind === 'resume' && status === 'pending-customer') {
              events.push({ type: 'status', at: t, from: status, to: 'open' });
              status = 'open';
            } else if (kind === 'resolve' && status !== 'resolved') {
              events.push({ type: 'status', at: t, from: status, to: 'resolved' });
              status = 'resolved';
            } else if (kind === 'note') {
              events.push({ type: 'message', at: t, author: 'agent', internal: true });
            }
          }
          const summary = summarize(foldClocks(plan, events, t));
          for (const later of laters) {
            const asOf = t + later * MINUTE;
            const sla = foldClocks(plan, events, asOf);
            expect(outcomeAt(summary.response, asOf)).toBe(foldOutcome(sla, 'response'));
            expect(outcomeAt(summary.resolution, asOf)).toBe(foldOutcome(sla, 'resolution'));
            expect(updateBreachesAt(summary, asOf)).toBe(
              sla.breaches.filter((b) => b.clock === 'update').length,
            );
            expect(breachedBy(summary, asOf)).toBe(sla.breaches.length > 0);
            // The breaches by name are the fold's: each clock, when it was due.
            const named = breachesAt(summary, asOf);
            expect(named.map((b) => [b.clock, b.dueAt]).sort()).toEqual(
              sla.breaches.map((b) => [b.clock, b.dueAt]).sort(),
            );
            for (const b of named) {
              if (b.lateUntil !== null) expect(b.lateUntil).toBeGreaterThanOrEqual(b.dueAt);
            }
            const first =
              sla.respondedAt !== null && sla.response.state === 'stopped' ? sla.response.businessUsed : null;
            expect(firstResponseBy(summary, asOf)).toBe(first);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('says pending for a running clock before its due time and breached from it on', () => {
    const plan = preset('ombori-production');
    const created = at('2026-11-23 09:00', 'Europe/Stockholm');
    const summary = summarize(foldClocks(plan, [{ type: 'created', at: created, priority: 'P1' }], created));
    expect(summary.response.dueAt).toBe(created + 30 * MINUTE);
    expect(outcomeAt(summary.response, created + 29 * MINUTE)).toBe('pending');
    expect(outcomeAt(summary.response, created + 30 * MINUTE)).toBe('breached');
    expect(outcomeAt(summary.resolution, created + HOUR)).toBe('no target');
  });
});
