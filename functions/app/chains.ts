// A ticket's escalation chains as its timeline records them (domain/escalation-policy.ts): what
// began each, what stops them, and the steps still to act. Read by the write itself (the ticket's
// attention time holds the next step) and by the paging that acts on them.
import {
  type Chain,
  DEFAULT_POLICY,
  type DueStep,
  type EscalationPolicy,
  pendingSteps,
  type Stops,
  stepKey,
} from '../../domain/escalation-policy';
import type { Plan, Priority } from '../../domain/plans';
import type { TimelineEntry } from '../ports';

/** The policy of a priority level: its own, else the plan's, else the default. */
export const policyOf = (plan: Plan, priority: Priority): EscalationPolicy =>
  plan.levels[priority]?.escalationPolicy ?? plan.escalation.policy ?? DEFAULT_POLICY;

/** The chains a timeline holds: its warnings, breaches and escalations recorded as paging. */
export function chainsOf(timeline: readonly TimelineEntry[]): Chain[] {
  return timeline.flatMap((e): Chain[] => {
    if ((e.type === 'breach' || e.type === 'warning') && e.pages)
      // A breach's steps count from the deadline itself, exact even when the event came late.
      return [
        {
          key: `${e.clock}#${e.cycle}#${e.type}`,
          on: e.type,
          startedAt: e.type === 'breach' ? Date.parse(e.dueAt) : Date.parse(e.at),
          seq: e.seq,
        },
      ];
    // Paging at once runs the breach's steps from its own moment.
    if ((e.type === 'escalated' || e.type === 'created') && e.pages)
      return [{ key: `${e.type}#${e.seq}`, on: 'breach', startedAt: Date.parse(e.at), seq: e.seq }];
    return [];
  });
}

/** What stops chains: acknowledgements, and the ticket resolved or closed. */
export function stopsOf(timeline: readonly TimelineEntry[]): Stops {
  return {
    acknowledgements: timeline.flatMap((e) => (e.type === 'acknowledged' ? [Date.parse(e.at)] : [])),
    resolutions: timeline.flatMap((e) =>
      e.type === 'status' && (e.to === 'resolved' || e.to === 'closed') ? [Date.parse(e.at)] : [],
    ),
  };
}

/** The steps of a ticket still to act, soonest first. */
export function stepsLeft(plan: Plan, priority: Priority, timeline: readonly TimelineEntry[]): DueStep[] {
  const handled = new Set(timeline.flatMap((e) => (e.type === 'page' ? [stepKey(e.chain, e.step)] : [])));
  return pendingSteps(policyOf(plan, priority), chainsOf(timeline), handled, stopsOf(timeline));
}
