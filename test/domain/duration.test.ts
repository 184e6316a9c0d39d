import { describe, expect, it } from 'vitest';
import {
  describeTarget,
  formatBusinessMs,
  inWords,
  parseBusinessDuration,
  Target,
} from '../../domain/duration';
import { HOUR, MINUTE } from '../support';

describe('SLA target durations', () => {
  it.each([
    ['PT30M', { days: 0, ms: 30 * MINUTE }],
    ['PT4H', { days: 0, ms: 4 * HOUR }],
    ['PT48H', { days: 0, ms: 48 * HOUR }],
    ['P5D', { days: 5, ms: 0 }],
    ['P1DT2H', { days: 1, ms: 2 * HOUR }],
    ['PT1H30M15S', { days: 0, ms: HOUR + 30 * MINUTE + 15_000 }],
    ['PT1.5H', { days: 0, ms: 1.5 * HOUR }],
    ['PT1,5H', { days: 0, ms: 1.5 * HOUR }],
    ['PT0.001S', { days: 0, ms: 1 }],
    ['P366D', { days: 366, ms: 0 }],
  ])('reads %s', (text, expected) => {
    expect(parseBusinessDuration(text)).toEqual(expected);
  });

  it.each([
    'P1W',
    'P1M',
    'P1Y',
    'PT0S',
    'P0D',
    'PT-1H',
    '4h',
    '',
    'P',
    'PT',
    'P1DT',
    'pt4h',
    'P1.5D',
    'P367D',
    'PT8785H',
    'PT4H ',
    'P1D\nPT4H',
    `PT${'9'.repeat(21)}H`,
  ])('refuses %j', (text) => {
    expect(parseBusinessDuration(text)).toBeNull();
    expect(Target.safeParse(text).success).toBe(false);
  });

  it('accepts the no-clock targets', () => {
    expect(Target.parse('best-effort')).toBe('best-effort');
    expect(Target.parse('when-done')).toBe('when-done');
  });

  it('prints business time as an ISO duration', () => {
    expect(formatBusinessMs(5_400_000)).toBe('PT1H30M');
    expect(formatBusinessMs(48 * HOUR)).toBe('PT48H');
    expect(formatBusinessMs(0)).toBe('PT0S');
  });
});

describe('targets in words', () => {
  it.each([
    ['PT4H', '4 business hours'],
    ['PT1H', '1 business hour'],
    ['PT30M', '30 business minutes'],
    ['PT1H30M', '1 h 30 min'],
    ['P1D', '1 business day'],
    ['P5D', '5 business days'],
    ['P1DT2H', '1 business day and 2 h 0 min'],
    ['best-effort', 'on a best-effort basis'],
    ['when-done', 'when the work is done'],
  ])('%s reads "%s"', (target, words) => {
    expect(describeTarget(target)).toBe(words);
  });
});

describe('durations in words', () => {
  it.each([
    [0, '0 min', '0 s'],
    [29_999, '0 min', '30 s'],
    [40_000, '1 min', '40 s'],
    [185_000, '3 min', '3 min 5 s'],
    [20 * MINUTE, '20 min', '20 min'],
    [3 * HOUR + 20 * MINUTE, '3 h 20 min', '3 h 20 min'],
    [26 * HOUR, '26 h', '26 h'],
    [HOUR - 1, '1 h', '1 h'],
  ])('%d ms reads "%s" (with seconds "%s")', (ms, words, withSeconds) => {
    expect(inWords(ms)).toBe(words);
    expect(inWords(ms, { seconds: true })).toBe(withSeconds);
  });

  it('refuses what is not a duration', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => inWords(bad)).toThrow(RangeError);
  });
});
