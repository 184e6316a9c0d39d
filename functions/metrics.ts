// Metrics as Powertools for AWS Lambda writes them: CloudWatch's embedded metric format (EMF),
// namespace sla-desk. Deadline breaches and warnings and mail sent, each in total (what the
// breach-rate alarm watches, infra/constructs/alarms.ts) and per plan.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { atInvocationEnd, SERVICE } from './observability';

export const METRICS_NAMESPACE = 'sla-desk';

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });

/** What sla-desk counts. */
export type Counted = 'Breaches' | 'Warnings' | 'MailSent' | 'Pages' | 'Notifications';

/** Mail that belongs to no customer's plan (an automatic reply to an unknown sender). */
export const NO_PLAN = 'none';

/**
 * Counts `n` of a metric: in the function's total, published when the invocation ends, and
 * for its plan (dimension `plan`), published at once.
 */
export function count(name: Counted, planId: string, n = 1): void {
  if (!(n > 0)) return;
  metrics.addMetric(name, MetricUnit.Count, n);
  const perPlan = metrics.singleMetric();
  perPlan.addDimension('plan', planId);
  perPlan.addMetric(name, MetricUnit.Count, n);
}

// Most invocations count nothing: they publish no line (Powertools' own logMetrics middleware
// would, with a warning each time).
atInvocationEnd(() => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
});
