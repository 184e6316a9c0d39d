// A report's trend: its headline figures beside the same figures of the three months before,
// read from those months' stored reports (a month without one, or with an older shape that
// lacks a figure, shows none for it).
import * as z from '../../domain/zod';
import { monthBefore } from '../../domain/zone';
import type { Deps } from '../ports';

/** The months before a report that its trend shows. */
export const TREND_MONTHS = 3;

export interface Headline {
  month: string;
  uptimePercent: number | null;
  tickets: number | null;
  /** First responses in time, of those with a target. */
  responseAttainmentPercent: number | null;
  /** Deadlines missed. */
  breaches: number | null;
  medianFirstResponseMs: number | null;
}

const figure = z.catch(z.nullable(z.number()), null);
// Stored reports are our own, but older ones lack later figures: each is read on its own.
const StoredHeadline = z.object({
  uptime: z.catch(z.object({ percent: figure }), { percent: null }),
  tickets: z.catch(z.object({ total: figure }), { total: null }),
  clocks: z.catch(
    z.object({ response: z.catch(z.object({ attainmentPercent: figure }), { attainmentPercent: null }) }),
    { response: { attainmentPercent: null } },
  ),
  breaches: z.catch(z.nullable(z.array(z.unknown())), null),
  breachesNotListed: z.catch(z.number().check(z.int(), z.gte(0)), 0),
  firstResponse: z.catch(z.object({ medianMs: figure }), { medianMs: null }),
});

/** The headline figures of a report, as built or as stored; all null where there is none. */
export function headlineOf(month: string, report: unknown): Headline {
  const parsed = StoredHeadline.safeParse(report ?? {});
  if (!parsed.success) {
    return {
      month,
      uptimePercent: null,
      tickets: null,
      responseAttainmentPercent: null,
      breaches: null,
      medianFirstResponseMs: null,
    };
  }
  const r = parsed.data;
  return {
    month,
    uptimePercent: r.uptime.percent,
    tickets: r.tickets.total,
    responseAttainmentPercent: r.clocks.response.attainmentPercent,
    breaches: r.breaches === null ? null : r.breaches.length + r.breachesNotListed,
    medianFirstResponseMs: r.firstResponse.medianMs,
  };
}

/** The headlines of the TREND_MONTHS months before `month`, oldest first. */
export async function previousHeadlines(deps: Deps, customerId: string, month: string): Promise<Headline[]> {
  const months: string[] = [];
  for (let m = monthBefore(month); months.length < TREND_MONTHS; m = monthBefore(m)) months.unshift(m);
  return Promise.all(
    months.map(async (m) => headlineOf(m, (await deps.reports.getStored(customerId, m))?.report ?? null)),
  );
}
