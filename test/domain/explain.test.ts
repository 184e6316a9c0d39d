import { describe, expect, it } from 'vitest';
import { explain } from '../../domain/explain';
import type { TicketEvent } from '../../domain/ticket';
import { at, HOUR, preset, wall } from '../support';

const zone = 'Europe/Stockholm';
const t = (local: string) => at(local, zone);

describe('explain', () => {
  it('shows the open, closed, holiday and paused stretches that make up a due time', () => {
    const plan = preset('ombori-pilot');
    const events: TicketEvent[] = [
      { type: 'created', at: t('2026-12-23 16:00'), priority: 'P2' }, // Wed before julafton
      { type: 'status', at: t('2026-12-23 17:00'), from: 'new', to: 'pending-customer' },
      { type: 'status', at: t('2026-12-23 17:30'), from: 'pending-customer', to: 'open' },
    ];
    const [response] = explain(plan, events, t('2026-12-23 17:30'));
    expect(
      response!.segments.map((s) => [wall(s.from, zone), s.kind, s.reason ?? '', s.counted / HOUR]),
    ).toEqual([
      ['2026-12-23 16:00 +01:00', 'open', '', 1],
      ['2026-12-23 17:00 +01:00', 'paused', 'pending-customer', 0],
      ['2026-12-23 17:30 +01:00', 'open', '', 0.5],
      ['2026-12-23 18:00 +01:00', 'closed', '', 0],
      ['2026-12-24 08:00 +01:00', 'holiday', 'julafton', 0],
      ['2026-12-24 18:00 +01:00', 'closed', '', 0],
      ['2026-12-25 08:00 +01:00', 'holiday', 'juldagen', 0],
      ['2026-12-25 18:00 +01:00', 'closed', '', 0],
      ['2026-12-28 08:00 +01:00', 'open', '', 6.5],
    ]);
    const counted = response!.segments.reduce((sum, s) => sum + s.counted, 0);
    expect(counted).toBe(response!.businessTarget);
    expect(wall(response!.dueAt, zone)).toBe('2026-12-28 14:30 +01:00');
    expect(response!.plan).toEqual({ id: 'ombori-pilot', version: 1 });
    expect(response!.calendar.hours).toBe('Mon-Fri 08:00-18:00 (Europe/Stockholm, SE public holidays)');
    expect(response!.summary).toContain('It is due at Mon 28 Dec 2026 14:30:00');
    expect(response!.summary).toContain('not counting 30 min paused');
    // The zone named as everywhere else (CET, not GMT+1).
    expect(response!.summary).toContain('14:30:00 (CET)');
  });

  it('says when a clock was met, breached, or has no target', () => {
    const plan = preset('ombori-pilot');
    const late: TicketEvent[] = [
      { type: 'created', at: t('2026-11-23 09:00'), priority: 'P1' },
      { type: 'message', at: t('2026-11-23 14:00'), author: 'agent', internal: false },
    ];
    const [response, update, resolution] = explain(plan, late, t('2026-11-23 14:00'));
    expect(response!.summary).toMatch(/was due at Mon 23 Nov 2026 13:00:00 .* and breached/);
    expect(update!.state).toBe('running');
    expect(resolution!.summary).toBe('The resolution target is when the work is done: no clock runs.');
    // Targets in words, never the ISO duration beside them.
    expect(response!.summary).toContain('the target for P1 is 4 business hours counted');
    for (const c of [response, update, resolution]) expect(c!.summary).not.toMatch(/\bP(T|\d)\w*\d[HMDS]/);

    const onTime = [late[0]!, { ...late[1]!, at: t('2026-11-23 10:00') }] as TicketEvent[];
    expect(explain(plan, onTime, t('2026-11-23 10:00'))[0]!.summary).toMatch(/Stopped at .*, within target/);
  });
});
