import { describe, expect, it } from 'vitest';
import {
  formatLocal,
  formatReportTime,
  fromWall,
  isTimeZone,
  localDay,
  localMonth,
  localYear,
  monthAfter,
  monthBefore,
  monthName,
  monthSpan,
  offsetMs,
  toWall,
  wallInstant,
  zoneAbbreviation,
} from '../../domain/zone';

const Z = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('time zones (Intl’s IANA data)', () => {
  it('knows IANA zones and refuses the rest', () => {
    for (const zone of ['Europe/Stockholm', 'UTC', 'America/St_Johns', 'Asia/Kathmandu']) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
    for (const zone of ['Mars/Olympus', 'W. Europe Standard Time', '', 'Europe/Stockholm\n']) {
      expect(isTimeZone(zone), zone).toBe(false);
    }
    expect(() => offsetMs('Mars/Olympus', 0)).toThrow(RangeError);
  });

  it('gives the offset on both sides of a transition, and odd offsets exactly', () => {
    expect(offsetMs('Europe/Stockholm', Z('2026-03-29T00:59:59Z'))).toBe(HOUR);
    expect(offsetMs('Europe/Stockholm', Z('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(offsetMs('Asia/Kathmandu', Z('2026-01-01T00:00:00Z'))).toBe(5.75 * HOUR);
    expect(offsetMs('America/St_Johns', Z('2026-01-01T00:00:00Z'))).toBe(-3.5 * HOUR);
  });

  it('turns wall times into instants: a skipped time is the gap’s end, a repeated one its first pass', () => {
    expect(wallInstant('Europe/Stockholm', 2026, 3, 29, 2.5 * HOUR)).toBe(Z('2026-03-29T01:00:00Z'));
    expect(wallInstant('Europe/Stockholm', 2026, 10, 25, 2.5 * HOUR)).toBe(Z('2026-10-25T00:30:00Z'));
    expect(fromWall('Europe/Stockholm', toWall('Europe/Stockholm', Z('2026-11-23T07:00:00Z')))).toBe(
      Z('2026-11-23T07:00:00Z'),
    );
    // 24:00 of a day is the next midnight.
    expect(wallInstant('UTC', 2026, 12, 31, 24 * HOUR)).toBe(Z('2027-01-01T00:00:00Z'));
  });

  it('reads an instant’s local day, month and year, before 1970 too', () => {
    const newYear = Z('2026-12-31T23:30:00Z'); // 00:30 on 1 January in Stockholm
    expect(localYear('Europe/Stockholm', newYear)).toBe(2027);
    expect(localMonth('Europe/Stockholm', newYear)).toBe('2027-01');
    expect(localMonth('UTC', newYear)).toBe('2026-12');
    expect(localDay('Europe/Stockholm', newYear)).toBe(Z('2027-01-01T00:00:00Z'));
    expect(localMonth('America/New_York', Z('1969-07-21T02:56:00Z'))).toBe('1969-07');
  });

  it('steps months across years, and spans a local month', () => {
    expect(monthBefore('2026-01')).toBe('2025-12');
    expect(monthAfter('2026-12')).toBe('2027-01');
    expect(monthSpan('2026-12', 'Europe/Stockholm')).toEqual({
      start: Z('2026-11-30T23:00:00Z'),
      end: Z('2026-12-31T23:00:00Z'),
    });
    expect(monthName('2026-11')).toBe('November 2026');
    for (const bad of ['2026-13', '2026-1', '26-11', '2026-11-01', '']) {
      expect(() => monthSpan(bad, 'UTC'), bad).toThrow(RangeError);
    }
  });

  it('writes times as people read them', () => {
    expect(formatLocal(Z('2026-11-23T12:00:00Z'), 'Europe/Stockholm')).toBe('Mon 23 Nov 2026 13:00 CET');
    expect(formatLocal(Z('2026-11-23T12:00:05Z'), 'UTC', { seconds: true })).toBe(
      'Mon 23 Nov 2026 12:00:05 UTC',
    );
    expect(formatReportTime(Z('2026-11-02T07:30:00Z'), 'Europe/Stockholm')).toBe('Mon 2 Nov 08:30 CET');
    expect(formatReportTime(Z('2026-07-02T07:30:00Z'), 'Europe/Stockholm')).toBe('Thu 2 Jul 09:30 CEST');
  });

  it('names a zone by its abbreviation where English has one, by its offset where not', () => {
    const winter = Z('2026-01-15T12:00:00Z');
    const summer = Z('2026-07-15T12:00:00Z');
    expect([zoneAbbreviation('Europe/Berlin', winter), zoneAbbreviation('Europe/Berlin', summer)]).toEqual([
      'CET',
      'CEST',
    ]);
    expect([zoneAbbreviation('Europe/London', winter), zoneAbbreviation('Europe/London', summer)]).toEqual([
      'GMT',
      'BST',
    ]);
    expect(zoneAbbreviation('America/New_York', winter)).toBe('EST');
    expect(zoneAbbreviation('Asia/Tokyo', winter)).toBe('GMT+9');
    expect(zoneAbbreviation('UTC', winter)).toBe('UTC');
  });
});
