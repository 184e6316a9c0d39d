// Region holidays from the tables prepared at build time (npm run build:holidays), read from
// disk when a plan is stored: shipped next to the code of the functions that store plans
// (HOLIDAY_DATA_DIR on AWS), read from functions/holiday-data locally. One file per country.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Holiday } from '../../domain/calendar';
import { UnknownHolidayRegion } from '../../domain/errors';
import { type CountryHolidays, decodeRegion } from '../../domain/holiday-table';
import type { RegionHolidays, YearSpan } from '../../domain/holidays';

export function holidayFiles(dir: () => string): RegionHolidays {
  const tables = new Map<string, CountryHolidays>();
  return (region: string, years: YearSpan): Holiday[] => {
    const country = region.split('-')[0]!;
    // Two capitals and nothing else: the code names a file.
    if (!/^[A-Z]{2}$/.test(country)) throw new UnknownHolidayRegion(region);
    let table = tables.get(country);
    if (!table) {
      const folder = dir();
      if (!existsSync(folder)) throw new Error(`no holiday data at ${folder}: run npm run build:holidays`);
      const file = join(folder, `${country}.json`);
      if (!existsSync(file)) throw new UnknownHolidayRegion(region);
      table = JSON.parse(readFileSync(file, 'utf8')) as CountryHolidays;
      tables.set(country, table);
    }
    return decodeRegion(table, region, years);
  };
}
