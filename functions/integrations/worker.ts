// The integrations worker: SQS delivers jobs (deliveries to webhooks and Slack threads, Slack
// events to file). A job that should run again later stays on the queue, hidden for its
// back-off (ChangeMessageVisibility, up to SQS's 12 hours) and reported as failed; after a day
// it is done with (a delivery is then listed as failed). What keeps failing past the queue's
// receive limit goes to its dead-letter queue.
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { retryDelay } from '../../domain/integrations';
import * as z from '../../domain/zod';
import { integrationStore } from '../adapters/aws/integration-store';
import { slackSecrets } from '../adapters/aws/secrets';
import { SlackChat } from '../adapters/slack-chat';
import { runJob } from '../app/jobs';
import { config } from '../config';
import { errorFields, logger, observed } from '../observability';
import type { Deps, Job } from '../ports';
import { addAdapters, deps as wiredDeps } from '../wiring';

const Text = z.string().check(z.minLength(1), z.maxLength(200));
const JobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deliver'), customerId: Text, deliveryId: Text }),
  z.object({ kind: z.literal('bank-check'), customerId: Text, at: z.iso.datetime() }),
  z.object({
    kind: z.literal('slack-event'),
    eventId: Text,
    teamId: Text,
    event: z.object({
      channel: Text,
      user: Text,
      text: z.string().check(z.maxLength(50_000)),
      ts: Text,
      threadTs: z.nullable(Text),
    }),
  }),
]);

const MAX_VISIBILITY_SECONDS = 12 * 3600;

addAdapters({
  chat: (d) => new SlackChat(() => d.secrets.get('slack-bot-token')),
  integrations: integrationStore,
  secrets: slackSecrets,
});

let sqs: SQSClient | undefined;

function wire() {
  sqs ??= new SQSClient({ region: config().AWS_REGION });
  return { deps: wiredDeps(), sqs };
}

/** How long to hide the message before it runs again, or null when it is done. */
export async function processRecord(deps: Deps, record: SQSRecord): Promise<number | null> {
  const parsed = JobSchema.safeParse(JSON.parse(record.body || 'null'));
  if (!parsed.success) {
    logger.error('malformed job dropped', { body: record.body });
    return null;
  }
  const receipt = {
    count: Number(record.attributes.ApproximateReceiveCount) || 1,
    firstAt: Number(record.attributes.ApproximateFirstReceiveTimestamp) || deps.clock.now(),
  };
  try {
    return await runJob(deps, parsed.data as Job, receipt);
  } catch (error) {
    logger.error('job failed', errorFields(error));
    return retryDelay(receipt.count, receipt.firstAt, deps.clock.now()) ?? 0;
  }
}

export async function runJobs(
  event: SQSEvent,
  injected?: { deps: Deps; sqs: SQSClient },
): Promise<SQSBatchResponse> {
  const { deps, sqs } = injected ?? wire();
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let delay: number | null;
    try {
      delay = await processRecord(deps, record);
    } catch (error) {
      logger.error('malformed job dropped', errorFields(error));
      delay = null;
    }
    if (delay === null) continue;
    if (delay > 0) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: config().JOBS_QUEUE_URL,
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: Math.min(Math.ceil(delay / 1000), MAX_VISIBILITY_SECONDS),
        }),
      );
    }
    failures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures: failures };
}

export const handler = observed((event: SQSEvent) => runJobs(event));
