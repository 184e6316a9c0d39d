import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessCalendar } from '../../domain/calendar';
import { deadlines, foldClocks, MalformedHistory } from '../../domain/clocks';
import type { Plan, Priority } from '../../domain/plans';
import type { PresetId } from '../../domain/presets/index';
import { changeStatus, postMessage, type Status, type TicketEvent } from '../../domain/ticket';
import { at, HOUR, MINUTE, preset, wall } from '../support';

/** A ticket written the way the API would write it: through postMessage and changeStatus. */
class Story {
  readonly events: TicketEvent[];
  private status: Status = 'new';
  private priority: Priority;
  readonly plan: Plan;
  readonly zone: string;

  constructor(id: PresetId, priority: Priority, created: string) {
    this.plan = preset(id);
    this.zone = this.plan.calendar.timeZone;
    this.priority = priority;
    this.events = [{ type: 'created', at: this.t(created), priority }];
  }
  t(local: string) {
    return at(local, this.zone);
  }
  agent(local: string, internal = false) {
    return this.push(postMessage(this.status, 'agent', internal, this.t(local)));
  }
  customer(local: string) {
    return this.push(postMessage(this.status, 'customer', false, this.t(local)));
  }
  move(local: string, to: Status) {
    return this.push([changeStatus(this.status, to, 'agent', this.t(local))]);
  }
  reprioritise(local: string, to: Priority) {
    this.events.push({ type: 'priority', at: this.t(local), from: this.priority, to });
    this.priority = to;
    return this;
  }
  recordBreach(local: string, clock: 'response' | 'update' | 'resolution', cycle: number, dueAt: number) {
    this.events.push({ type: 'breach', at: this.t(local), clock, cycle, dueAt });
    return this;
  }
  at(local: string) {
    return foldClocks(this.plan, this.events, this.t(local));
  }
  wall(t: number | null) {
    return wall(t, this.zone);
  }
  private push(events: TicketEvent[]) {
    for (const e of events) {
      this.events.push(e);
      if (e.type === 'status') this.status = e.to;
    }
    return this;
  }
}

describe('response clock', () => {
  it('stops at the first public agent message, not at an internal note', () => {
    const story = new Story('ombori-pilot', 'P1', '2026-11-23 09:00').agent('2026-11-23 10:00', true);
    expect(story.at('2026-11-23 10:30').response.state).toBe('running');
    story.agent('2026-11-23 11:00');
    const s = story.at('2026-11-23 11:30');
    expect(s.response).toMatchObject({ state: 'stopped', businessUsed: 2 * HOUR, dueAt: null });
    expect(s.respondedAt).toBe(story.t('2026-11-23 11:00'));
    expect(s.status).toBe('open');
    expect(s.breaches).toEqual([]);
  });

  it('warns at 80 % of its business time', () => {
    const s = new Story('ombori-pilot', 'P1', '2026-11-23 16:00').at('2026-11-23 16:00');
    // 4 h: 2 h on Monday, 2 h on Tuesday; 80 % is 3 h 12 min → Tue 09:12
    expect(story(s.response.warningAt)).toBe('2026-11-24 09:12 +01:00');
    expect(story(s.response.dueAt)).toBe('2026-11-24 10:00 +01:00');
    function story(t: number | null) {
      return wall(t, 'Europe/Stockholm');
    }
  });

  it('records a late response as a breach at its due time, once', () => {
    const story = new Story('ombori-pilot', 'P1', '2026-11-23 09:00').agent('2026-11-23 14:30');
    const s = story.at('2026-11-23 15:00'); // before the first update (due Tue 08:30) is late too
    expect(s.breaches).toEqual([
      {
        clock: 'response',
        cycle: 1,
        dueAt: story.t('2026-11-23 13:00'),
        breachedAt: story.t('2026-11-23 13:00'),
        recorded: false,
      },
    ]);
    expect(s.escalationLevel).toBe(0);
  });

  it('shows a running clock past its due time as breached before anyone records it', () => {
    const story = new Story('ombori-production', 'P1', '2026-11-23 09:00');
    expect(story.at('2026-11-23 09:29').breaches).toEqual([]);
    expect(story.at('2026-11-23 09:31').breaches.map((b) => b.clock)).toEqual(['response']);
  });

  it('keeps the time the escalation function recorded, and counts one level per breach', () => {
    const story = new Story('ombori-pilot', 'P1', '2026-11-23 09:00');
    const due = story.t('2026-11-23 13:00');
    story
      .recordBreach('2026-11-23 13:00', 'response', 1, due)
      .recordBreach('2026-11-23 13:01', 'response', 1, due);
    const s = story.at('2026-11-23 14:00');
    expect(s.breaches).toEqual([
      { clock: 'response', cycle: 1, dueAt: due, breachedAt: due, recorded: true },
    ]);
    expect(s.escalationLevel).toBe(1);
  });
});

describe('update clock', () => {
  it('starts at the first response and restarts at every public agent message', () => {
    const story = new Story('ombori-pilot', 'P2', '2026-11-23 09:00').agent('2026-11-23 10:00');
    let s = story.at('2026-11-23 10:00');
    expect(s.update).toMatchObject({ state: 'running', cycle: 1 });
    expect(story.wall(s.update.dueAt)).toBe('2026-11-23 18:00 +01:00');
    story.customer('2026-11-23 12:00'); // a customer's message does not restart it
    expect(story.at('2026-11-23 12:00').update.cycle).toBe(1);
    story.agent('2026-11-23 15:00');
    s = story.at('2026-11-23 15:00');
    expect(s.update.cycle).toBe(2);
    expect(story.wall(s.update.dueAt)).toBe('2026-11-24 13:00 +01:00');
  });

  it('has not started before the first response, and has no clock where the target is when-done', () => {
    expect(new Story('ombori-pilot', 'P1', '2026-11-23 09:00').at('2026-11-23 09:00').update.state).toBe(
      'not-started',
    );
    const s = new Story('ombori-pilot', 'P3', '2026-11-23 09:00')
      .agent('2026-11-23 09:30')
      .at('2026-11-23 10:00');
    expect(s.update).toMatchObject({ state: 'not-applicable', dueAt: null, target: 'when-done' });
  });

  it('breaches each late cycle separately', () => {
    const story = new Story('ombori-production', 'P1', '2026-11-23 09:00')
      .agent('2026-11-23 09:10')
      .agent('2026-11-23 10:30') // 20 min late
      .agent('2026-11-23 11:00')
      .agent('2026-11-23 12:15'); // 15 min late
    const s = story.at('2026-11-23 12:30');
    expect(s.breaches.map((b) => [b.clock, b.cycle, story.wall(b.dueAt)])).toEqual([
      ['update', 1, '2026-11-23 10:10 +01:00'],
      ['update', 3, '2026-11-23 12:00 +01:00'],
    ]);
  });
});

describe('pausing', () => {
  it('pauses every clock in pending-customer and resumes with the remaining business time', () => {
    const story = new Story('cloudomation-premium', 'P1', '2026-11-23 09:00') // Vienna 09-17
      .agent('2026-11-23 10:00')
      .move('2026-11-23 10:00', 'pending-customer');
    const paused = story.at('2026-11-24 12:00');
    expect(paused.paused).toBe(true);
    expect(paused.resolution).toMatchObject({ state: 'paused', dueAt: null, businessUsed: HOUR });
    story.customer('2026-11-25 15:00'); // resumes: 1 h of the 2-day (16 h) resolution target used
    const s = story.at('2026-11-25 15:00');
    expect(s.paused).toBe(false);
    expect(s.status).toBe('open');
    // 15 h left from Wed 15:00: 2 h Wed, 8 h Thu, 5 h Fri → Fri 14:00
    expect(story.wall(s.resolution.dueAt)).toBe('2026-11-27 14:00 +01:00');
  });

  it('never counts paused time, wherever the pause falls', () => {
    const plan = preset('ombori-pilot');
    const calendar = businessCalendar(plan.calendar);
    const created = at('2026-11-23 09:00', 'Europe/Stockholm');
    const target = 8 * HOUR; // P2 response
    const minutes = fc.integer({ min: 0, max: 6 * 24 * 60 });
    fc.assert(
      fc.property(minutes, minutes, (a, b) => {
        const [p1, p2] = [created + Math.min(a, b) * MINUTE, created + Math.max(a, b) * MINUTE];
        if (calendar.elapsed(created, p1) >= target) return; // paused after the deadline: nothing to shift
        const events: TicketEvent[] = [
          { type: 'created', at: created, priority: 'P2' },
          { type: 'status', at: p1, from: 'new', to: 'pending-customer' },
          { type: 'status', at: p2, from: 'pending-customer', to: 'open' },
        ];
        const s = foldClocks(plan, events, p2);
        expect(s.response.dueAt).toBe(calendar.add(created, target + calendar.elapsed(p1, p2)));
        expect(s.response.businessUsed).toBe(calendar.elapsed(created, p2) - calendar.elapsed(p1, p2));
      }),
    );
  });
});

describe('priority changes', () => {
  it('recomputes a running clock as if the new priority had applied from the start', () => {
    const story = new Story('ombori-pilot', 'P3', '2026-11-23 09:00').reprioritise('2026-11-23 11:00', 'P1');
    const s = story.at('2026-11-23 11:00');
    expect(s.response).toMatchObject({ priority: 'P1', target: 'PT4H' });
    expect(story.wall(s.response.dueAt)).toBe('2026-11-23 13:00 +01:00');
  });

  it('breaches at once when the new, shorter target has already passed', () => {
    const story = new Story('ombori-pilot', 'P3', '2026-11-23 09:00').reprioritise('2026-11-23 14:00', 'P1');
    const s = story.at('2026-11-23 14:00');
    expect(s.breaches).toEqual([
      expect.objectContaining({ clock: 'response', dueAt: story.t('2026-11-23 13:00') }),
    ]);
    expect(s.response.dueAt).toBe(story.t('2026-11-23 13:00'));
  });

  it('switches to the new level calendar from the start (Platform.sh P2 business hours → P1 24/7)', () => {
    const story = new Story('platformsh-enterprise', 'P2', '2026-11-27 17:00'); // Fri
    expect(story.wall(story.at('2026-11-27 17:00').response.dueAt)).toBe('2026-11-30 12:00 +01:00');
    story.reprioritise('2026-11-27 18:30', 'P1');
    expect(story.wall(story.at('2026-11-27 18:30').response.dueAt)).toBe('2026-11-27 19:00 +01:00');
  });

  it('keeps a stopped clock judged by the priority it stopped under, and a recorded breach recorded', () => {
    const story = new Story('ombori-pilot', 'P1', '2026-11-23 09:00');
    const due = story.t('2026-11-23 13:00');
    story
      .recordBreach('2026-11-23 13:00', 'response', 1, due)
      .agent('2026-11-23 13:30')
      .reprioritise('2026-11-23 14:00', 'P4');
    const s = story.at('2026-11-23 14:00');
    expect(s.response).toMatchObject({ state: 'stopped', priority: 'P1', target: 'PT4H' });
    expect(s.update).toMatchObject({ priority: 'P4', state: 'not-applicable' });
    expect(s.breaches).toEqual([
      { clock: 'response', cycle: 1, dueAt: due, breachedAt: due, recorded: true },
    ]);
  });
});

describe('resolve and reopen', () => {
  it('stops update and resolution at resolved; a reopen resumes resolution and starts a new update cycle', () => {
    const story = new Story('cloudomation-premium', 'P1', '2026-11-23 09:00')
      .agent('2026-11-23 10:00')
      .move('2026-11-23 11:00', 'resolved');
    let s = story.at('2026-11-24 09:00');
    expect(s.resolution).toMatchObject({ state: 'stopped', businessUsed: 2 * HOUR });
    expect(s.update.state).toBe('not-applicable'); // Cloudomation promises no updates
    story.customer('2026-11-24 10:00'); // the customer writes back: reopened
    s = story.at('2026-11-24 10:00');
    expect(s.status).toBe('open');
    expect(s.resolution).toMatchObject({ state: 'running', businessUsed: 2 * HOUR });
    // 14 h left from Tue 10:00: 7 h Tue, 7 h Wed → Wed 16:00
    expect(story.wall(s.resolution.dueAt)).toBe('2026-11-25 16:00 +01:00');
  });

  it('starts a fresh update cycle on reopen where the plan has update targets', () => {
    const story = new Story('ombori-pilot', 'P1', '2026-11-23 09:00')
      .agent('2026-11-23 10:00')
      .move('2026-11-23 11:00', 'resolved')
      .move('2026-11-24 09:00', 'open');
    const s = story.at('2026-11-24 09:00');
    expect(s.update).toMatchObject({ state: 'running', cycle: 2, startedAt: story.t('2026-11-24 09:00') });
    expect(story.wall(s.update.dueAt)).toBe('2026-11-24 13:00 +01:00');
  });

  it('stops everything when closed', () => {
    const s = new Story('ombori-pilot', 'P1', '2026-11-23 09:00')
      .move('2026-11-23 09:30', 'closed')
      .at('2026-11-30 09:00');
    expect(s.response.state).toBe('stopped');
    expect(s.breaches).toEqual([]);
    expect(deadlines(s)).toEqual([]);
  });
});

describe('deadlines and bad histories', () => {
  it('lists the warning and breach of every running clock in time order', () => {
    const story = new Story('ombori-pilot', 'P1', '2026-11-23 09:00');
    expect(deadlines(story.at('2026-11-23 09:00')).map((d) => [d.clock, d.kind, story.wall(d.at)])).toEqual([
      ['response', 'warning', '2026-11-23 12:12 +01:00'],
      ['response', 'breach', '2026-11-23 13:00 +01:00'],
    ]);
  });

  it('refuses a history that does not start with its creation or goes back in time', () => {
    const plan = preset('ombori-pilot');
    expect(() => foldClocks(plan, [], 0)).toThrow(MalformedHistory);
    expect(() =>
      foldClocks(
        plan,
        [
          { type: 'created', at: 10, priority: 'P1' },
          { type: 'message', at: 5, author: 'agent', internal: false },
        ],
        10,
      ),
    ).toThrow(/older/);
  });
});
