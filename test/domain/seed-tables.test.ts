// Due times straight from the seeds' tables: plan, priority, created at (local wall time of
// the plan), expected due time. Holidays, weekends, nights and DST weeks on purpose.
import { describe, expect, it } from 'vitest';
import { foldClocks } from '../../domain/clocks';
import type { ClockName, Priority } from '../../domain/plans';
import type { PresetId } from '../../domain/presets/index';
import { at, preset, wall } from '../support';

type Row = [PresetId, Priority, ClockName, string, string | null, string];

// Ombori counts in Europe/Stockholm; DST 2026 starts Sun 29 Mar, ends Sun 25 Oct.
const ombori: Row[] = [
  [
    'ombori-pilot',
    'P1',
    'response',
    '2026-11-23 07:00',
    '2026-11-23 12:00 +01:00',
    'before hours: starts at 08:00',
  ],
  ['ombori-pilot', 'P1', 'response', '2026-03-27 16:00', '2026-03-30 10:00 +02:00', 'weekend and spring DST'],
  [
    'ombori-pilot',
    'P2',
    'response',
    '2026-12-23 15:00',
    '2026-12-28 13:00 +01:00',
    'julafton, juldagen, weekend',
  ],
  [
    'ombori-pilot',
    'P3',
    'response',
    '2026-10-21 09:00',
    '2026-10-27 17:00 +01:00',
    '48 open hours across autumn DST',
  ],
  [
    'ombori-pilot',
    'P4',
    'response',
    '2026-12-29 10:42',
    '2027-01-08 10:42 +01:00',
    '5 business days over new year',
  ],
  [
    'ombori-production',
    'P1',
    'response',
    '2026-11-28 20:45',
    '2026-11-29 08:15 +01:00',
    'overnight on a weekend',
  ],
  [
    'ombori-production',
    'P2',
    'response',
    '2026-03-29 07:30',
    '2026-03-29 09:00 +02:00',
    'on the DST Sunday itself',
  ],
  [
    'ombori-production',
    'P4',
    'response',
    '2026-12-24 10:00',
    '2026-12-27 19:00 +01:00',
    'Mon-Sun desk: no holidays',
  ],
  [
    'ombori-enterprise',
    'P3',
    'response',
    '2026-03-28 22:00',
    '2026-03-29 07:00 +02:00',
    '24/7 over the lost hour',
  ],
  ['ombori-free', 'P1', 'response', '2026-11-23 10:00', null, 'best effort: no clock'],
];

// Platform.sh counts in Europe/Paris 09-18; French holidays (11 Nov, 25 Dec).
const platformsh: Row[] = [
  ['platformsh-enterprise', 'P1', 'response', '2026-11-28 23:30', '2026-11-29 01:30 +01:00', 'P1 is 24/7'],
  [
    'platformsh-enterprise',
    'P2',
    'response',
    '2026-11-27 17:00',
    '2026-11-30 12:00 +01:00',
    'P2 waits for Monday',
  ],
  [
    'platformsh-standard',
    'P2',
    'response',
    '2026-11-10 10:42',
    '2026-11-12 10:42 +01:00',
    '1 business day over 11 Nov',
  ],
  [
    'platformsh-standard',
    'P1',
    'response',
    '2026-12-24 16:00',
    '2026-12-28 11:00 +01:00',
    'Christmas Day closed',
  ],
  [
    'platformsh-standard',
    'P2',
    'response',
    '2026-03-27 17:30',
    '2026-03-30 17:30 +02:00',
    'P1D across spring DST',
  ],
  ['platformsh-standard', 'P3', 'response', '2026-11-23 10:00', null, 'best effort: no clock'],
];

// Cloudomation counts in Europe/Vienna 09-17; Austrian holidays (8 Dec).
const cloudomation: Row[] = [
  [
    'cloudomation-premium',
    'P1',
    'response',
    '2026-12-07 16:30',
    '2026-12-09 10:30 +01:00',
    'Mariä Empfängnis',
  ],
  [
    'cloudomation-standard',
    'P3',
    'response',
    '2026-11-21 11:00',
    '2026-11-23 17:00 +01:00',
    'P1D from a Saturday',
  ],
  [
    'cloudomation-24x7',
    'P1',
    'response',
    '2026-03-29 01:30',
    '2026-03-29 03:30 +02:00',
    '24/7 P1 over the DST gap',
  ],
  [
    'cloudomation-24x7',
    'P3',
    'response',
    '2026-11-27 16:00',
    '2026-11-30 12:00 +01:00',
    'P3 counts office hours',
  ],
  [
    'cloudomation-premium',
    'P2',
    'resolution',
    '2026-11-24 10:00',
    '2026-12-01 10:00 +01:00',
    '5 business days',
  ],
];

// Sourcegraph counts 24x7 in UTC.
const sourcegraph: Row[] = [
  ['sourcegraph-premium-24x7', 'P1', 'response', '2026-11-28 23:30', '2026-11-29 00:30 +00:00', 'midnight'],
  [
    'sourcegraph-premium-24x7',
    'P3',
    'response',
    '2026-12-31 12:00',
    '2027-01-01 12:00 +00:00',
    'no holidays',
  ],
  [
    'sourcegraph-premium-24x7',
    'P4',
    'response',
    '2026-03-28 12:00',
    '2026-03-30 12:00 +00:00',
    'UTC has no DST',
  ],
];

describe.each([
  ['Ombori', ombori],
  ['Platform.sh', platformsh],
  ['Cloudomation', cloudomation],
  ['Sourcegraph', sourcegraph],
])('%s seed', (_vendor, rows) => {
  it.each(rows)('%s %s %s created %s is due %s (%s)', (id, priority, clock, created, due) => {
    const plan = preset(id);
    const zone = plan.levels[priority].calendar?.timeZone ?? plan.calendar.timeZone;
    const start = at(created, zone);
    const state = foldClocks(plan, [{ type: 'created', at: start, priority }], start);
    expect(wall(state[clock].dueAt, zone)).toBe(due);
    expect(state[clock].state).toBe(due === null ? 'not-applicable' : 'running');
  });
});

it('gives Sourcegraph P2 a status update one day after the first response', () => {
  const plan = preset('sourcegraph-premium-24x7');
  const created = at('2026-11-23 09:00', 'UTC');
  const replied = at('2026-11-23 10:00', 'UTC');
  const state = foldClocks(
    plan,
    [
      { type: 'created', at: created, priority: 'P2' },
      { type: 'message', at: replied, author: 'agent', internal: false },
      { type: 'status', at: replied, from: 'new', to: 'open' },
    ],
    replied,
  );
  expect(wall(state.update.dueAt, 'UTC')).toBe('2026-11-24 10:00 +00:00');
  expect(state.response.state).toBe('stopped');
});
