// How a notification reaches a person: their choice per kind or the default, less mail and
// pages in their quiet hours (the console keeps everything), and never a page for "paged".
import { describe, expect, it } from 'vitest';
import { NotificationPreferences, notifyBy } from '../../domain/notifications';

const night = { from: '22:00', to: '24:00' };
const morning = { from: '00:00', to: '07:00' };
const nights = NotificationPreferences.parse({
  kinds: { 'customer-replied': ['console', 'mail', 'page'], paged: ['console', 'mail', 'page'] },
  quietHours: {
    timeZone: 'Europe/Stockholm',
    weekly: {
      mon: [morning, night],
      tue: [morning, night],
      wed: [morning, night],
      thu: [morning, night],
      fri: [morning, night],
      sat: [morning, night],
      sun: [morning, night],
    },
  },
});

describe('notifyBy', () => {
  it.each([
    [
      'the defaults: a reply in the console only',
      undefined,
      'customer-replied',
      '2026-12-07T10:00:00Z',
      ['console'],
    ],
    [
      'the defaults: a breach in the console and by mail',
      undefined,
      'breach',
      '2026-12-07T10:00:00Z',
      ['console', 'mail'],
    ],
    [
      'chosen: a reply by every way, in the day',
      nights,
      'customer-replied',
      '2026-12-07T10:00:00Z',
      ['console', 'mail', 'page'],
    ],
    [
      'chosen, at 23:30 Stockholm (quiet): the console only',
      nights,
      'customer-replied',
      '2026-12-07T22:30:00Z',
      ['console'],
    ],
    ['at 06:59 Stockholm: still quiet', nights, 'customer-replied', '2026-12-07T05:59:00Z', ['console']],
    [
      'at 07:00 Stockholm: no longer',
      nights,
      'customer-replied',
      '2026-12-07T06:00:00Z',
      ['console', 'mail', 'page'],
    ],
    [
      'paged: never a page again, mail where chosen',
      nights,
      'paged',
      '2026-12-07T10:00:00Z',
      ['console', 'mail'],
    ],
    ['a kind not chosen keeps its default', nights, 'assigned', '2026-12-07T10:00:00Z', ['console', 'mail']],
  ] as const)('%s', (_, prefs, kind, at, expected) => {
    expect(notifyBy(prefs, kind, Date.parse(at))).toEqual(expected);
  });

  it('keeps the console even where a person chose nothing', () => {
    const none = NotificationPreferences.parse({ kinds: { breach: [] } });
    expect(notifyBy(none, 'breach', Date.parse('2026-12-07T10:00:00Z'))).toEqual(['console']);
  });

  it('refuses an unknown kind, way or zone, by field', () => {
    const bad = NotificationPreferences.safeParse({
      kinds: { breach: ['pigeon'], gossip: ['mail'] },
      quietHours: { timeZone: 'Mars/Olympus', weekly: {} },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['kinds.breach.0', 'quietHours.timeZone']));
  });
});
