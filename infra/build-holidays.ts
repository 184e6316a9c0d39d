// `npm run build:holidays`: prepares the region holiday tables the plans and seed functions read
// (functions/holiday-data/<country>.json) from date-holidays, so that no Lambda carries it.
// Run it again when date-holidays is upgraded (a test compares the tables with it) or before
// the years run out (plans are stored with their regions' holidays from the year before through
// REGION_HOLIDAYS_THROUGH, domain/holidays.ts).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Holiday } from '../domain/calendar';
import { encodeCountry } from '../domain/holiday-table';
import { REGION_HOLIDAYS_THROUGH } from '../domain/holidays';
import { holidayRegions, regionHolidays } from '../domain/region-holidays';

export const HOLIDAY_DATA_DIR = fileURLToPath(new URL('../functions/holiday-data/', import.meta.url));
export const DATA_YEARS = { from: 2025, to: REGION_HOLIDAYS_THROUGH };

/** What the tables are made from, as they record it: `date-holidays 3.37.0`. */
export function holidaySource(): string {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(readFileSync(require.resolve('date-holidays/package.json'), 'utf8'));
  return `date-holidays ${pkg.version}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const source = holidaySource();
  rmSync(HOLIDAY_DATA_DIR, { recursive: true, force: true });
  mkdirSync(HOLIDAY_DATA_DIR, { recursive: true });
  let bytes = 0;
  const regions = holidayRegions();
  for (const [country, codes] of regions) {
    const lists = new Map<string, Holiday[]>(codes.map((code) => [code, regionHolidays(code, DATA_YEARS)]));
    const text = JSON.stringify(encodeCountry(country, source, DATA_YEARS, lists));
    writeFileSync(`${HOLIDAY_DATA_DIR}${country}.json`, `${text}\n`);
    bytes += text.length + 1;
  }
  console.log(
    `${regions.size} countries, ${[...regions.values()].flat().length} regions, ${DATA_YEARS.from}-${DATA_YEARS.to}, ` +
      `${Math.round(bytes / 1024)} KiB from ${source} in ${Math.round((performance.now() - started) / 1000)} s`,
  );
}
