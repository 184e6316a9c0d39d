// Who is on call, table-tested like the seeds' tables: a weekly rotation handing off Monday
// 09:00 in Stockholm across the spring change, a daily one at 02:30 through both changes (the
// gap and the repeated hour), a weekend layer over the base, overrides, and a gap where no one is
// on call, said as such with when it ends.
import { describe, expect, it } from 'vitest';
import { type OnCallSchedule, onCallAt, onCallBetween, OnCallSchedule as Schema } from '../../domain/on-call';
import { defaultWorkingHours, isWorking } from '../../domain/working-hours';

const at = (iso: string) => Date.parse(iso);
const weekly: OnCallSchedule['layers'][number] = {
  name: 'base',
  rotation: { members: ['anna', 'bo', 'cia'], handoff: 'weekly', at: '09:00', startsOn: '2026-03-23' },
};
const base: OnCallSchedule = { timeZone: 'Europe/Stockholm', layers: [weekly], overrides: [] };

describe('a weekly rotation, Monday 09:00 Stockholm', () => {
  it.each([
    ['before it starts', '2026-03-23T07:59:00Z', null, '2026-03-23T08:00:00Z'],
    ['its first hand-off (09:00 CET)', '2026-03-23T08:00:00Z', 'anna', '2026-03-30T07:00:00Z'],
    ['a week on, 09:00 CEST after the spring change', '2026-03-30T07:00:00Z', 'bo', '2026-04-06T07:00:00Z'],
    ['a minute before that hand-off', '2026-03-30T06:59:00Z', 'anna', '2026-03-30T07:00:00Z'],
    ['the third week', '2026-04-08T12:00:00Z', 'cia', '2026-04-13T07:00:00Z'],
    ['round to the first again', '2026-04-13T07:00:00Z', 'anna', '2026-04-20T07:00:00Z'],
    // 31 weeks after the start: the 32nd shift, the second member's.
    ['across the autumn change, 09:00 CET again', '2026-10-26T08:00:00Z', 'bo', '2026-11-02T08:00:00Z'],
    ['a minute before that hand-off (08:59 CET)', '2026-10-26T07:59:00Z', 'anna', '2026-10-26T08:00:00Z'],
  ])('%s: %s is %s until %s', (_, t, who, until) => {
    const now = onCallAt(base, at(t));
    expect(now.staffId).toBe(who);
    expect(new Date(now.until).toISOString()).toBe(new Date(at(until)).toISOString());
  });
});

describe('a daily rotation at 02:30, through both changes', () => {
  const daily: OnCallSchedule = {
    timeZone: 'Europe/Stockholm',
    layers: [
      {
        name: 'nights',
        rotation: { members: ['a', 'b'], handoff: 'daily', at: '02:30', startsOn: '2026-03-27' },
      },
    ],
    overrides: [],
  };
  it('hands off at 03:00 CEST when the spring gap skips 02:30, so that day is 23 hours', () => {
    const saturday = onCallAt(daily, at('2026-03-28T12:00:00Z'));
    expect(saturday.staffId).toBe('b');
    expect(new Date(saturday.until).toISOString()).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(onCallAt(daily, at('2026-03-29T01:00:00Z')).staffId).toBe('a');
  });

  it('hands off at the first 02:30 of the autumn night, so that shift is 25 hours', () => {
    const shift = onCallAt(daily, at('2026-10-25T12:00:00Z'));
    expect(new Date(shift.since).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(new Date(shift.until).toISOString()).toBe('2026-10-26T01:30:00.000Z'); // 02:30 CET
    expect(shift.until - shift.since).toBe(25 * 3_600_000);
  });
});

describe('layers and overrides', () => {
  const allDay = [{ from: '00:00', to: '24:00' }];
  const none: never[] = [];
  const weekend: OnCallSchedule['layers'][number] = {
    name: 'weekend',
    rotation: { members: ['dan', 'eva'], handoff: 'daily', at: '00:00', startsOn: '2026-03-28' },
    covers: { mon: none, tue: none, wed: none, thu: none, fri: none, sat: allDay, sun: allDay },
  };
  const layered: OnCallSchedule = { ...base, layers: [weekly, weekend] };

  it.each([
    ['Friday: the base', '2026-04-03T20:00:00Z', 'bo', 'base', '2026-04-03T22:00:00Z'],
    ['Saturday: the weekend layer', '2026-04-04T10:00:00Z', 'eva', 'weekend', '2026-04-04T22:00:00Z'],
    [
      'Sunday: the next in the weekend rotation',
      '2026-04-05T10:00:00Z',
      'dan',
      'weekend',
      '2026-04-05T22:00:00Z',
    ],
    ['Monday 00:00: the base again', '2026-04-05T22:00:00Z', 'bo', 'base', '2026-04-06T07:00:00Z'],
  ])('%s', (_, t, who, layer, until) => {
    const now = onCallAt(layered, at(t));
    expect(now).toMatchObject({ staffId: who, by: { layer } });
    expect(new Date(now.until).toISOString()).toBe(new Date(at(until)).toISOString());
  });

  it('puts an override over every layer, the later of two overlapping ones winning', () => {
    const vacation: OnCallSchedule = {
      ...layered,
      overrides: [
        {
          staffId: 'vik',
          from: at('2026-04-04T00:00:00Z'),
          to: at('2026-04-08T00:00:00Z'),
          note: 'eva away',
        },
        { staffId: 'swap', from: at('2026-04-06T00:00:00Z'), to: at('2026-04-07T00:00:00Z') },
      ],
    };
    expect(onCallAt(vacation, at('2026-04-04T10:00:00Z'))).toMatchObject({
      staffId: 'vik',
      by: { override: 0 },
    });
    const inner = onCallAt(vacation, at('2026-04-06T12:00:00Z'));
    expect(inner).toMatchObject({ staffId: 'swap', by: { override: 1 } });
    const cut = onCallAt(vacation, at('2026-04-05T12:00:00Z'));
    expect(new Date(cut.until).toISOString()).toBe('2026-04-06T00:00:00.000Z');
    expect(onCallAt(vacation, at('2026-04-07T12:00:00Z')).staffId).toBe('vik');
    expect(onCallAt(vacation, at('2026-04-08T00:00:00Z'))).toMatchObject({
      staffId: 'cia',
      by: { layer: 'base' },
    });
  });

  it('says no one is on call, and until when, where no layer covers the time', () => {
    const officeHours = { from: '08:00', to: '17:00' };
    const office: OnCallSchedule = {
      timeZone: 'Europe/Stockholm',
      layers: [
        {
          ...weekly,
          covers: {
            mon: [officeHours],
            tue: [officeHours],
            wed: [officeHours],
            thu: [officeHours],
            fri: [officeHours],
            sat: none,
            sun: none,
          },
        },
      ],
      overrides: [],
    };
    const saturday = onCallAt(office, at('2026-04-04T10:00:00Z'));
    expect(saturday.staffId).toBeNull();
    expect(new Date(saturday.since).toISOString()).toBe('2026-04-03T15:00:00.000Z'); // Friday 17:00 CEST
    expect(new Date(saturday.until).toISOString()).toBe('2026-04-06T06:00:00.000Z'); // Monday 08:00 CEST
    expect(onCallAt(office, at('2026-04-06T06:00:00Z')).staffId).toBe('bo');
  });

  it('lists the coming weeks as stretches that meet end to end, each with its person or no one', () => {
    const from = at('2026-03-30T00:00:00Z');
    const to = at('2026-04-20T00:00:00Z');
    const stretches = onCallBetween(layered, from, to);
    expect(stretches[0]!.since).toBe(from);
    expect(stretches.at(-1)!.until).toBe(to);
    for (let i = 1; i < stretches.length; i++) {
      expect(stretches[i]!.since).toBe(stretches[i - 1]!.until);
      expect(stretches[i]!.staffId).not.toBe(stretches[i - 1]!.staffId);
    }
    // Monday until 09:00 anna, then bo's week; the weekend's two days (eva, then dan); bo; cia.
    expect(stretches.map((s) => s.staffId).slice(0, 6)).toEqual(['anna', 'bo', 'eva', 'dan', 'bo', 'cia']);
  });
});

describe('the schedule as stored', () => {
  it('refuses a bad zone, a 24:00 hand-off, an empty rotation and an override that ends first', () => {
    const bad = Schema.safeParse({
      timeZone: 'Mars/Olympus',
      layers: [
        { name: 'x', rotation: { members: [], handoff: 'weekly', at: '24:00', startsOn: '2026-3-1' } },
      ],
      overrides: [{ staffId: 'a', from: 2, to: 1 }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(
      [
        'layers.0.rotation.at',
        'layers.0.rotation.members',
        'layers.0.rotation.startsOn',
        'overrides.0.to',
        'timeZone',
      ].sort(),
    );
  });
});

describe('working hours', () => {
  it.each([
    ['Monday 08:59 in Oslo', '2026-03-30T06:59:00Z', false],
    ['Monday 09:00 in Oslo (CEST)', '2026-03-30T07:00:00Z', true],
    ['Monday 16:59', '2026-03-30T14:59:00Z', true],
    ['Monday 17:00', '2026-03-30T15:00:00Z', false],
    ['Saturday noon', '2026-04-04T10:00:00Z', false],
  ])('%s: %s', (_, t, working) => {
    expect(isWorking(defaultWorkingHours('Europe/Oslo'), Date.parse(t))).toBe(working);
  });
});
