// `npm run bench`: business-time arithmetic of sla-desk against moment-business-time (the
// most used npm business-hours library) on the same calendar: 08:00-18:00 Mon-Fri
// Europe/Stockholm with ten holidays, 100 000 random starts over 2026 (DST weeks included).
// Prints one JSON line per case and implementation, then how far the two agree.
import moment from 'moment-timezone';
import 'moment-business-time';
import { BusinessCalendar } from '../domain/calendar';
import { STOCKHOLM_HOLIDAYS_2026, stockholmOffice } from '../test/fixtures/calendars';

const HOUR = 3_600_000;
const STARTS = 100_000;
const LIBRARY_SAMPLE = 3_000; // the library is ~1000x slower; a sample gives a stable rate
const AGREEMENT_SAMPLE = 10_000;
const zone = stockholmOffice.timeZone;

// A seeded generator so that every run measures the same instants.
let seed = 20261123;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const yearStart = Date.parse('2026-01-01T00:00:00Z');
const yearLength = Date.parse('2027-01-01T00:00:00Z') - yearStart;
const dstWeeks = [Date.parse('2026-03-26T00:00:00Z'), Date.parse('2026-10-22T00:00:00Z')];
const starts = Array.from({ length: STARTS }, (_, i) =>
  // one start in ten falls in a DST week; all on whole seconds
  i % 10 === 0
    ? dstWeeks[i % 20 === 0 ? 0 : 1]! + Math.floor(random() * 7 * 24 * 3600) * 1000
    : yearStart + Math.floor((random() * yearLength) / 1000) * 1000,
);
const spans = starts.map(() => Math.floor(random() * 7 * 24 * 3600) * 1000);

moment.updateLocale('en', {
  workinghours: {
    0: null,
    1: ['08:00:00', '18:00:00'],
    2: ['08:00:00', '18:00:00'],
    3: ['08:00:00', '18:00:00'],
    4: ['08:00:00', '18:00:00'],
    5: ['08:00:00', '18:00:00'],
    6: null,
  },
  holidays: STOCKHOLM_HOLIDAYS_2026.map((h) => h.date),
} as moment.LocaleSpecification);

interface Impl {
  name: string;
  add(start: number, ms: number): number;
  elapsed(from: number, to: number): number;
}

const calendar = new BusinessCalendar(stockholmOffice);
const slaDesk: Impl = {
  name: 'sla-desk',
  add: (s, ms) => calendar.add(s, ms),
  elapsed: (a, b) => calendar.elapsed(a, b),
};
const library: Impl = {
  name: 'moment-business-time',
  add: (s, ms) =>
    moment
      .tz(s, zone)
      .addWorkingTime(ms / 60_000, 'minutes')
      .valueOf(),
  elapsed: (a, b) => moment.tz(b, zone).workingDiff(moment.tz(a, zone), 'milliseconds'),
};

/** Operations per second: the best of five timed passes after a warm-up pass. */
function rate(count: number, run: (i: number) => number): number {
  let sink = 0;
  for (let i = 0; i < Math.min(count, 1000); i++) sink += run(i);
  let best = 0;
  for (let pass = 0; pass < 5; pass++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) sink += run(i);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, count / seconds);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the loop from being optimised away');
  return Math.round(best);
}

const cases: { name: string; run: (impl: Impl) => (i: number) => number }[] = [
  { name: 'add-4h', run: (impl) => (i) => impl.add(starts[i]!, 4 * HOUR) },
  { name: 'add-48h', run: (impl) => (i) => impl.add(starts[i]!, 48 * HOUR) },
  { name: 'elapsed', run: (impl) => (i) => impl.elapsed(starts[i]!, starts[i]! + spans[i]!) },
];

const iso = (t: number) => new Date(t).toISOString();
for (const c of cases) {
  const ours = rate(STARTS, c.run(slaDesk));
  const theirs = rate(LIBRARY_SAMPLE, c.run(library));
  console.log(JSON.stringify({ case: c.name, impl: slaDesk.name, opsPerSec: ours }));
  console.log(
    JSON.stringify({
      case: c.name,
      impl: library.name,
      opsPerSec: theirs,
      speedup: Math.round(ours / theirs),
    }),
  );

  // Same answers? For add, a deadline at a closing edge and the next opening are the same
  // point in business time (no open time between them): counted apart from real disagreements.
  let same = 0;
  let sameBusinessInstant = 0;
  const disagreements: unknown[] = [];
  const [ourAnswer, theirAnswer] = [c.run(slaDesk), c.run(library)];
  for (let i = 0; i < AGREEMENT_SAMPLE; i++) {
    const a = ourAnswer(i);
    const b = theirAnswer(i);
    if (a === b) same++;
    else if (c.name !== 'elapsed' && calendar.elapsed(Math.min(a, b), Math.max(a, b)) === 0)
      sameBusinessInstant++;
    else
      disagreements.push(
        c.name === 'elapsed'
          ? { from: iso(starts[i]!), to: iso(starts[i]! + spans[i]!), slaDesk: a, library: b }
          : { start: iso(starts[i]!), slaDesk: iso(a), library: iso(b) },
      );
  }
  console.log(
    JSON.stringify({
      case: c.name,
      check: 'agreement',
      compared: AGREEMENT_SAMPLE,
      same,
      sameBusinessInstant,
      disagreements: disagreements.length,
      examples: disagreements.slice(0, 3),
    }),
  );
}
