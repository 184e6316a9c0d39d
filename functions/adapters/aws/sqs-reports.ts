// A report run's units on SQS, ten to a SendMessageBatch: the report function takes them a few
// at a time (functions/reports/handler.ts); a unit failing UNIT_ATTEMPTS times goes to the
// queue's dead-letter queue, which raises an alarm.
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Config, required } from '../../config';
import type { ReportQueue, ReportUnit } from '../../ports';

const BATCH = 10; // SQS's most per SendMessageBatch

export class SqsReportQueue implements ReportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: () => string,
  ) {}

  async send(units: ReportUnit[]): Promise<void> {
    for (let i = 0; i < units.length; i += BATCH) {
      const batch = units.slice(i, i + BATCH);
      const { Failed } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl(),
          Entries: batch.map((unit, n) => ({ Id: String(n), MessageBody: JSON.stringify(unit) })),
        }),
      );
      if (Failed?.length) {
        const first = Failed[0]!;
        throw new Error(`${Failed.length} report unit(s) not queued: ${first.Code} ${first.Message ?? ''}`);
      }
    }
  }
}

/** The queue of REPORTS_QUEUE_URL (for addAdapters in the functions that start runs). */
export const reportQueue = (cfg: Config): ReportQueue =>
  new SqsReportQueue(new SQSClient({ region: cfg.AWS_REGION }), () => required(cfg, 'REPORTS_QUEUE_URL'));
