// Jobs on SQS: one message each; the integrations worker receives them (its retries and the
// dead-letter queue are the queue's, see functions/integrations/worker.ts).
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Config, required } from '../../config';
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
  new SqsJobQueue(new SQSClient({ region: cfg.AWS_REGION }), () => required(cfg, 'JOBS_QUEUE_URL'));
