import { describe, expect, it } from 'vitest';
import { PlanSchema, promiseInWords } from '../../domain/plans';
import { PRESET_IDS, PRESETS, type PresetId } from '../../domain/presets/index';
import { preset } from '../support';

const plan = (id: PresetId) => PRESETS.get(id)!;

describe('preset catalogue', () => {
  it('has every plan of every seed, by its kebab-case id', () => {
    expect([...PRESETS.keys()]).toEqual([...PRESET_IDS]);
    expect(PRESETS.size).toBe(11);
    for (const [id, plan] of PRESETS) expect(plan.id).toBe(id);
  });

  it('keeps the Ombori figures exactly as the seed tables give them', () => {
    const row = (id: PresetId) => Object.values(plan(id).levels).map((l) => `${l.response}/${l.update}`);
    expect(row('ombori-free')).toEqual(Array(4).fill('best-effort/when-done'));
    expect(row('ombori-pilot')).toEqual(['PT4H/PT4H', 'PT8H/PT8H', 'PT48H/when-done', 'P5D/when-done']);
    expect(row('ombori-production')).toEqual([
      'PT30M/PT1H',
      'PT1H/PT2H',
      'PT8H/when-done',
      'PT48H/when-done',
    ]);
    expect(row('ombori-enterprise')).toEqual(row('ombori-production'));
  });

  it('gives Ombori the seed hours, days, devices, channels and uptime', () => {
    const all = [
      plan('ombori-free'),
      plan('ombori-pilot'),
      plan('ombori-production'),
      plan('ombori-enterprise'),
    ];
    const [free, pilot, production, enterprise] = all as [
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
    ];
    expect(free.calendar.weekly.mon).toEqual([{ from: '08:00', to: '17:00' }]);
    expect(free.calendar.weekly.sat).toEqual([]);
    expect(pilot.calendar.weekly.fri).toEqual([{ from: '08:00', to: '18:00' }]);
    expect(production.calendar.weekly.sun).toEqual([{ from: '08:00', to: '21:00' }]);
    expect(enterprise.calendar.weekly.wed).toEqual([{ from: '00:00', to: '24:00' }]);
    for (const p of all) expect(p.calendar.timeZone).toBe('Europe/Stockholm');
    expect(all.map((p) => p.devicesIncluded)).toEqual([3, 3, 60, 500]);
    expect(all.map((p) => p.uptimeTarget)).toEqual([null, 99.999, 99.999, 99.999]);
    expect(free.channels).toEqual(['form']);
    expect(production.channels).toEqual(expect.arrayContaining(['phone', 'chat', 'form', 'email']));
  });

  it('counts Platform.sh Enterprise P1 around the clock and P2 in business hours', () => {
    const enterprise = plan('platformsh-enterprise');
    expect(enterprise.levels.P1.calendar?.weekly.sun).toEqual([{ from: '00:00', to: '24:00' }]);
    expect(enterprise.levels.P2.calendar).toBeUndefined();
    expect(enterprise.levels.P3.response).toBe('best-effort');
    expect(plan('platformsh-standard').levels.P2.response).toBe('P1D');
    expect(enterprise.escalation.keyword).toBeTruthy();
  });

  it('gives Cloudomation the seats and shared-ticket browsing of the seed', () => {
    const ids: PresetId[] = [
      'cloudomation-self-service',
      'cloudomation-standard',
      'cloudomation-premium',
      'cloudomation-24x7',
    ];
    expect(ids.map((id) => plan(id).seats)).toEqual([0, 1, 3, 3]);
    expect(plan('cloudomation-standard').browseSharedTickets).toBe(true);
    expect(plan('cloudomation-premium').levels.P1.resolution).not.toBe('when-done');
  });

  it('says why wherever a figure was chosen', () => {
    const chosen: PresetId[] = [
      'cloudomation-standard',
      'cloudomation-premium',
      'platformsh-standard',
      'sourcegraph-premium-24x7',
    ];
    for (const id of chosen) expect(plan(id).notes.length).toBeGreaterThan(0);
    for (const p of PRESETS.values()) expect(() => PlanSchema.parse(p)).not.toThrow();
  });
});

describe('promises in words', () => {
  it.each([
    [
      'ombori-pilot',
      'P1',
      'P1 Critical: first response within 4 business hours, Mon-Fri 08:00-18:00 (Europe/Stockholm, SE public holidays)',
    ],
    [
      'ombori-free',
      'P2',
      'P2 Major: first response on a best-effort basis, Mon-Fri 08:00-17:00 (Europe/Stockholm, SE public holidays)',
    ],
  ] as const)('%s %s: %s', (id, priority, words) => {
    expect(promiseInWords(preset(id), priority)).toBe(words);
  });
});
