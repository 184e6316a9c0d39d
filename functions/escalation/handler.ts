// The escalation function: EventBridge Scheduler invokes it with {ticketId, clock, kind,
// generation} at a deadline. A stale or duplicate event does nothing (see app/attend.ts).
import * as z from 'zod';
import { CLOCKS } from '../../domain/plans';
import { type AttendResult, attend } from '../app/attend';
import { logger, observed } from '../observability';
import type { Deps } from '../ports';
import { deps as wiredDeps } from '../wiring';

export const DeadlineEventSchema = z.object({
  ticketId: z.string().min(1).max(64),
  clock: z.enum(CLOCKS),
  kind: z.enum(['warning', 'breach']),
  generation: z.number().int().min(1).max(1_000_000),
});

export async function handleDeadlineEvent(
  raw: unknown,
  d: Deps = wiredDeps(),
): Promise<AttendResult | { outcome: 'invalid' }> {
  const event = DeadlineEventSchema.safeParse(raw);
  if (!event.success) {
    // Retrying cannot fix a malformed event: log it (it is also in the DLQ's source) and stop.
    logger.error('malformed deadline event', { event: raw, issues: event.error.issues });
    return { outcome: 'invalid' };
  }
  logger.appendKeys({ ticketId: event.data.ticketId });
  return attend(d, event.data.ticketId, { event: event.data });
}

export const handler = observed((event: unknown) => handleDeadlineEvent(event));
