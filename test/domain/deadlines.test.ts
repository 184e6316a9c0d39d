import { describe, expect, it } from 'vitest';
import type { Deadline } from '../../domain/clocks';
import { isCurrent, NO_GENERATIONS, planSchedule, scheduleName } from '../../domain/deadlines';

const d = (clock: Deadline['clock'], kind: Deadline['kind'], at: number, cycle = 1): Deadline => ({
  clock,
  kind,
  at,
  cycle,
});

describe('schedule planning', () => {
  it('schedules a new ticket’s response warning and breach under generation 1', () => {
    const plan = planSchedule([], NO_GENERATIONS, [
      d('response', 'warning', 80),
      d('response', 'breach', 100),
    ]);
    expect(plan.add.map((x) => [x.kind, x.generation])).toEqual([
      ['warning', 1],
      ['breach', 1],
    ]);
    expect(plan.remove).toEqual([]);
    expect(plan.generations).toEqual({ response: 1, update: 0, resolution: 0 });
  });

  it('leaves a clock whose deadlines did not move alone: no scheduler calls', () => {
    const first = planSchedule([], NO_GENERATIONS, [
      d('response', 'breach', 100),
      d('resolution', 'breach', 900),
    ]);
    const again = planSchedule(first.scheduled, first.generations, [
      d('response', 'breach', 100),
      d('resolution', 'breach', 900),
    ]);
    expect(again.add).toEqual([]);
    expect(again.remove).toEqual([]);
  });

  it('replaces only the clock that moved, under a higher generation', () => {
    const first = planSchedule([], NO_GENERATIONS, [
      d('response', 'breach', 100),
      d('resolution', 'breach', 900),
    ]);
    const moved = planSchedule(first.scheduled, first.generations, [
      d('response', 'breach', 150),
      d('resolution', 'breach', 900),
    ]);
    expect(moved.remove).toEqual([{ ...d('response', 'breach', 100), generation: 1 }]);
    expect(moved.add).toEqual([{ ...d('response', 'breach', 150), generation: 2 }]);
    expect(isCurrent(moved.scheduled, { clock: 'response', kind: 'breach', generation: 1 })).toBe(false);
    expect(isCurrent(moved.scheduled, { clock: 'resolution', kind: 'breach', generation: 1 })).toBe(true);
  });

  it('removes a stopped clock’s events and remembers its generation', () => {
    const first = planSchedule([], NO_GENERATIONS, [d('response', 'breach', 100)]);
    const stopped = planSchedule(first.scheduled, first.generations, []);
    expect(stopped.remove).toHaveLength(1);
    expect(stopped.generations.response).toBe(2);
    expect(stopped.scheduled).toEqual([]);
  });

  it('names schedules within EventBridge’s 64 characters of [0-9a-zA-Z-_.]', () => {
    const name = scheduleName('TKT-7K3QF9M2XA', { clock: 'resolution', kind: 'warning', generation: 123456 });
    expect(name).toBe('TKT-7K3QF9M2XA.resolution.warning.g123456');
    expect(name).toMatch(/^[0-9a-zA-Z._-]{1,64}$/);
    const longest = scheduleName('x'.repeat(64 - 'resolution.warning.g999999999'.length - 2), {
      clock: 'resolution',
      kind: 'warning',
      generation: 999_999_999,
    });
    expect(longest.length).toBeLessThanOrEqual(64);
  });
});
