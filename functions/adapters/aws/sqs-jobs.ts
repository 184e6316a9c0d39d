// Jobs on SQS: one message each; the integrations worker receives them (its retries and the
// dead-letter queue are the queue's, see functions/integrations/worker.ts).
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../../config';
import type { Job, JobQueue } from '../../ports';

export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: () => string,
  ) {}

  async send(job: Job): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl(), MessageBody: JSON.stringify(job) }),
    );
  }
}

/** The queue of JOBS_QUEUE_URL (for addAdapters in the functions that queue jobs). */
export const jobQueue = (cfg: Config): JobQueue =>
  new SqsJobQueue(new SQSClient({ region: cfg.AWS_REGION }), () => {
    if (!cfg.JOBS_QUEUE_URL) throw new Error('invalid environment: JOBS_QUEUE_URL is required on AWS');
    return cfg.JOBS_QUEUE_URL;
  });
