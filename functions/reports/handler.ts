// The monthly report function. EventBridge Scheduler invokes it on the 1st of each month (cron
// in the deployment's time zone) to start the run of the month that just ended: one unit per
// customer, queued on SQS. The same function takes the units from that queue a few at a time,
// reporting each failed one back (partial batch failure) for SQS to retry; a unit's last
// attempt counts it failed, and SQS moves it to the dead-letter queue, which raises an alarm.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { previousMonth } from '../../domain/uptime';
import { incidentStore } from '../adapters/aws/incident-store';
import { reportStore } from '../adapters/aws/report-store';
import { reportQueue } from '../adapters/aws/sqs-reports';
import { reportUnit, UNIT_ATTEMPTS } from '../app/report-units';
import { startMonthlyReports } from '../app/reports';
import { config } from '../config';
import { logger, observed } from '../observability';
import type { Deps, ReportRun, ReportUnit } from '../ports';
import { addAdapters, deps as wiredDeps } from '../wiring';

addAdapters({ incidents: incidentStore, reports: reportStore, reportQueue });

type StartEvent = { month?: string; resend?: boolean };

const isQueue = (event: unknown): event is SQSEvent =>
  Array.isArray((event as SQSEvent | undefined)?.Records);

export async function handleReports(
  event: StartEvent | SQSEvent,
  d: Deps = wiredDeps(),
): Promise<ReportRun | SQSBatchResponse> {
  if (!isQueue(event)) {
    const month = event.month ?? previousMonth(d.clock.now(), config().REPORT_TIME_ZONE);
    const run = await startMonthlyReports(d, month, { resend: event.resend ?? false });
    logger.info('monthly report run started', { ...run });
    return run;
  }
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const received = Number(record.attributes.ApproximateReceiveCount);
    try {
      await reportUnit(d, JSON.parse(record.body) as ReportUnit, received >= UNIT_ATTEMPTS);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

export const handler = observed((event: StartEvent | SQSEvent) => handleReports(event ?? {}));
