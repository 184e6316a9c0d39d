// Region holidays as data: what infra/build-holidays.ts prepares from date-holidays once, so
// that no Lambda carries date-holidays. One table per country; its subdivisions (DE-BY,
// US-CA) are kept as differences from the country's list, which most of them share.
import type { Holiday } from './calendar';
import { HolidayDataEnds, UnknownHolidayRegion } from './errors';
import type { YearSpan } from './holidays';

/** One closure: [date, index into names] for a whole day, or with from and to for part of one. */
export type HolidayRow =
  | [date: string, name: number]
  | [date: string, name: number, from: string, to: string];

export interface CountryHolidays {
  country: string;
  /** What the table was prepared from, e.g. `date-holidays 3.37.0`. */
  source: string;
  /** The years it holds, both included. */
  years: YearSpan;
  names: string[];
  rows: HolidayRow[];
  /** Per subdivision: rows it adds to the country's, and the country's rows (by index) it drops. */
  subdivisions: Record<string, { add: HolidayRow[]; drop: number[] }>;
}

const key = (h: Holiday) => `${h.date} ${h.from ?? ''}-${h.to ?? ''} ${h.name}`;

/** The table of a country from its regions' closures (`lists` has the country itself). */
export function encodeCountry(
  country: string,
  source: string,
  years: YearSpan,
  lists: ReadonlyMap<string, Holiday[]>,
): CountryHolidays {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const row = (h: Holiday): HolidayRow => {
    let n = nameIndex.get(h.name);
    if (n === undefined) {
      n = names.push(h.name) - 1;
      nameIndex.set(h.name, n);
    }
    return h.from === undefined ? [h.date, n] : [h.date, n, h.from, h.to!];
  };
  const own = lists.get(country);
  if (!own) throw new Error(`no closures for the country ${country} itself`);
  const ownKeys = own.map(key);
  const countryWide = new Set(ownKeys);
  const table: CountryHolidays = { country, source, years, names, rows: own.map(row), subdivisions: {} };
  for (const [region, list] of lists) {
    if (region === country) continue;
    const keys = new Set(list.map(key));
    table.subdivisions[region] = {
      add: list.filter((h) => !countryWide.has(key(h))).map(row),
      drop: ownKeys.flatMap((k, i) => (keys.has(k) ? [] : [i])),
    };
  }
  return table;
}

/** A region's closures within `years`, from its country's table. */
export function decodeRegion(table: CountryHolidays, region: string, years: YearSpan): Holiday[] {
  if (years.from < table.years.from || years.to > table.years.to) {
    throw new HolidayDataEnds(region, table.years, years);
  }
  let rows = table.rows;
  if (region !== table.country) {
    const sub = table.subdivisions[region];
    if (!sub) throw new UnknownHolidayRegion(region);
    const dropped = new Set(sub.drop);
    rows = [...rows.filter((_, i) => !dropped.has(i)), ...sub.add];
  }
  const first = `${years.from}-01-01`;
  const end = `${years.to + 1}-01-01`;
  return rows
    .filter(([date]) => date >= first && date < end)
    .map(([date, n, from, to]) => ({
      date,
      name: table.names[n]!,
      ...(from === undefined ? {} : { from, to }),
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || (a.from ?? '').localeCompare(b.from ?? ''));
}
