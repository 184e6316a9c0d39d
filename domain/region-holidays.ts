// Which days a region's public holidays close a desk, from date-holidays (~2 MB with its
// astronomy and calendar engines). Only the build imports this (infra/build-holidays.ts writes
// the closures out as tables, holiday-table.ts); no Lambda carries it.
import Holidays from 'date-holidays';
import type { Holiday } from './calendar';
import { UnknownHolidayRegion } from './errors';
import { closuresBetween, type YearSpan } from './holidays';
import { toWall } from './zone';

/** Which date-holidays types close a support desk: public holidays and bank holidays (Julafton). */
export const CLOSING_TYPES = ['public', 'bank'] as const;

/** Every region date-holidays knows, by country: the country, its states and their regions. */
export function holidayRegions(): Map<string, string[]> {
  const catalogue = new Holidays();
  const out = new Map<string, string[]>();
  for (const country of Object.keys(catalogue.getCountries())) {
    const regions = [country];
    for (const state of Object.keys(catalogue.getStates(country) ?? {})) {
      regions.push(`${country}-${state}`);
      for (const sub of Object.keys(catalogue.getRegions(country, state) ?? {})) {
        regions.push(`${country}-${state}-${sub}`);
      }
    }
    out.set(country, regions);
  }
  return out;
}

/** Public (and bank) holidays of a region, e.g. `SE`, `AT`, `DE-BY`, as wall-clock closures. */
export function regionHolidays(
  region: string,
  years: YearSpan,
  types: readonly string[] = CLOSING_TYPES,
): Holiday[] {
  const [country, state, subRegion] = region.split('-');
  const catalogue = new Holidays();
  if (!country || !catalogue.getCountries()[country]) throw new UnknownHolidayRegion(region);
  if (state && !catalogue.getStates(country)?.[state]) throw new UnknownHolidayRegion(region);
  if (subRegion && !catalogue.getRegions(country, state!)?.[subRegion])
    throw new UnknownHolidayRegion(region);
  const source = new Holidays(country, state ?? '', subRegion ?? '');
  // Start and end are instants; read them as wall time in the region's own zone.
  const zone = source.getTimezones()[0] ?? 'UTC';
  const out: Holiday[] = [];
  for (let year = years.from; year <= years.to; year++) {
    for (const h of source.getHolidays(year)) {
      if (!types.includes(h.type)) continue;
      const start = toWall(zone, h.start.getTime());
      const end = toWall(zone, h.end.getTime());
      out.push(...closuresBetween(start, end, h.name));
    }
  }
  return out;
}
