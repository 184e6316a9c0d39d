// The escalation function: EventBridge Scheduler invokes it with {ticketId, clock, kind,
// generation} at a deadline, and with {ticketId, chain, chainSeq, step} at an escalation step.
// A stale or duplicate event does nothing (see app/attend.ts and app/paging.ts).

import { CLOCKS } from '../../domain/plans';
import * as z from '../../domain/zod';
import { type AttendResult, attend } from '../app/attend';
import { type EscalateResult, escalate } from '../app/paging';
import { logger, observed } from '../observability';
import type { Deps } from '../ports';
import { useOwnArn, deps as wiredDeps } from '../wiring';

const TicketId = z.string().check(z.minLength(1), z.maxLength(64));

export const DeadlineEventSchema = z.object({
  ticketId: TicketId,
  clock: z.enum(CLOCKS),
  kind: z.enum(['warning', 'breach']),
  generation: z.number().check(z.int(), z.gte(1), z.lte(1_000_000)),
});

export const StepEventSchema = z.object({
  ticketId: TicketId,
  chain: z.string().check(z.minLength(1), z.maxLength(80)),
  chainSeq: z.number().check(z.int(), z.gte(0), z.lte(1_000_000)),
  step: z.number().check(z.int(), z.gte(0), z.lte(100)),
});

export async function handleDeadlineEvent(
  raw: unknown,
  d: Deps = wiredDeps(),
): Promise<AttendResult | EscalateResult | { outcome: 'invalid' }> {
  const step = StepEventSchema.safeParse(raw);
  if (step.success) {
    logger.appendKeys({ ticketId: step.data.ticketId });
    return escalate(d, step.data.ticketId, step.data);
  }
  const event = DeadlineEventSchema.safeParse(raw);
  if (!event.success) {
    // Retrying cannot fix a malformed event: log it (it is also in the DLQ's source) and stop.
    logger.error('malformed deadline event', { event: raw, issues: event.error.issues });
    return { outcome: 'invalid' };
  }
  logger.appendKeys({ ticketId: event.data.ticketId });
  return attend(d, event.data.ticketId, { event: event.data });
}

export const handler = observed((event: unknown, context) => {
  useOwnArn(context.invokedFunctionArn);
  return handleDeadlineEvent(event);
});
