// The work done after an answer: deliveries to other systems and Slack events. A job that
// fails is tried again with the deliveries' back-off (domain/integrations.ts) for a day; one
// that would fail the same way again (a rule, a missing record) is dropped and logged.
import { retryDelay } from '../../domain/integrations';
import { errorFields, logger } from '../observability';
import type { Deps, Job } from '../ports';
import { receiveAlerts } from './alerts';
import { checkBank } from './bank';
import { deliver } from './outbound';
import { fileSlackMessage, isFinal } from './slack';

/** How many times a job was received, and when first: SQS's receive count and first receipt. */
export interface Receipt {
  count: number;
  firstAt: number;
}

/** Runs a job once; how long to wait before running it again, or null when it is done. */
export async function runJob(deps: Deps, job: Job, receipt: Receipt): Promise<number | null> {
  // A delivery records its own attempts and back-off.
  if (job.kind === 'deliver') return deliver(deps, job.customerId, job.deliveryId);
  const about =
    job.kind === 'slack-event'
      ? { job: job.kind, eventId: job.eventId }
      : { job: job.kind, customerId: job.customerId };
  try {
    if (job.kind === 'bank-check') await checkBank(deps, job.customerId, Date.parse(job.at));
    else if (job.kind === 'alerts')
      logger.info('alerts filed', { ...about, ...(await receiveAlerts(deps, job.customerId, job.events)) });
    else logger.info('slack event filed', { ...about, outcome: await fileSlackMessage(deps, job) });
    return null;
  } catch (error) {
    if (isFinal(error)) {
      logger.warn('job dropped: it would fail the same way again', { ...about, ...errorFields(error) });
      return null;
    }
    const delay = retryDelay(receipt.count, receipt.firstAt, deps.clock.now());
    const fields = { ...about, ...errorFields(error), retryInMs: delay };
    if (delay === null) logger.error('job failed for good', fields);
    else logger.warn('job failed; tried again later', fields);
    return delay;
  }
}
