// The work done after an answer: deliveries to other systems and Slack events. A job that
// fails is tried again with the deliveries' back-off (domain/integrations.ts) for a day; one
// that would fail the same way again (a rule, a missing record) is dropped and logged.
import { retryDelay } from '../../domain/integrations';
import type { Deps, Job } from '../ports';
import { checkBank } from './bank';
import { deliver } from './outbound';
import { fileSlackMessage, isFinal } from './slack';

/** How many times a job was received, and when first: SQS's receive count and first receipt. */
export interface Receipt {
  count: number;
  firstAt: number;
}

function log(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: Record<string, unknown>) {
  console.log(JSON.stringify({ level, message, ...fields }));
}

/** Runs a job once; how long to wait before running it again, or null when it is done. */
export async function runJob(deps: Deps, job: Job, receipt: Receipt): Promise<number | null> {
  // A delivery records its own attempts and back-off.
  if (job.kind === 'deliver') return deliver(deps, job.customerId, job.deliveryId);
  const about =
    job.kind === 'bank-check'
      ? { job: job.kind, customerId: job.customerId }
      : { job: job.kind, eventId: job.eventId };
  try {
    if (job.kind === 'bank-check') await checkBank(deps, job.customerId, Date.parse(job.at));
    else log('INFO', 'slack event filed', { ...about, outcome: await fileSlackMessage(deps, job) });
    return null;
  } catch (error) {
    if (isFinal(error)) {
      log('WARN', 'job dropped: it would fail the same way again', { ...about, error: String(error) });
      return null;
    }
    const delay = retryDelay(receipt.count, receipt.firstAt, deps.clock.now());
    log(delay === null ? 'ERROR' : 'WARN', 'job failed', {
      ...about,
      error: String(error),
      retryInMs: delay,
    });
    return delay;
  }
}
