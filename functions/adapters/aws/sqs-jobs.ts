// Jobs on SQS: one message each; the integrations worker receives them (its retries and the
// dead-letter queue are the queue's, see functions/integrations/worker.ts).
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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
