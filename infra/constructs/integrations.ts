// What runs between the desk and other systems: the jobs queue (SQS, with a dead-letter queue)
// and its worker (deliveries to webhooks and Slack threads, Slack events to file), the
// tickets table's stream and the function that publishes new timeline entries, and the Slack
// app's two secrets (filled in by the operator after the first deploy; see README).
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SlaFunction } from './sla-function';

export interface IntegrationsProps {
  environment: Record<string, string>;
  tickets: dynamodb.ITable;
}

const WORKER_TIMEOUT = Duration.minutes(1);

/** The tickets stream's records of stored timeline entries: not tickets, claims or index rewrites. */
export const TIMELINE_INSERTS = lambda.FilterCriteria.filter({
  eventName: lambda.FilterRule.isEqual('INSERT'),
  dynamodb: { NewImage: { sk: { S: lambda.FilterRule.beginsWith('T#') } } },
});

export class Integrations extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly worker: SlaFunction;
  readonly publisher: SlaFunction;
  readonly signingSecret: secrets.Secret;
  readonly botToken: secrets.Secret;

  constructor(scope: Construct, id: string, props: IntegrationsProps) {
    super(scope, id);
    const queueDefaults = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Jobs', {
      ...queueDefaults,
      // Lambda asks for six times the function's timeout; back-off hides a message longer itself.
      visibilityTimeout: Duration.minutes(6),
      retentionPeriod: Duration.days(4),
      // About 17 attempts fill a day of back-off; past this count a job is a poison message.
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 25 },
    });
    this.signingSecret = new secrets.Secret(this, 'SlackSigningSecret', {
      description: 'sla-desk: the Slack app’s signing secret (Basic Information → App Credentials)',
    });
    this.botToken = new secrets.Secret(this, 'SlackBotToken', {
      description: 'sla-desk: the Slack app’s bot token, xoxb-… (OAuth & Permissions)',
    });
    const environment = { ...props.environment, JOBS_QUEUE_URL: this.queue.queueUrl };

    this.worker = new SlaFunction(this, 'Worker', {
      entry: 'integrations/worker.ts',
      description: 'sla-desk: delivers webhook events and Slack posts, files Slack events',
      environment: { ...environment, SLACK_BOT_TOKEN_ARN: this.botToken.secretArn },
      timeout: WORKER_TIMEOUT,
    });
    this.worker.fn.addEventSource(
      new sources.SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.botToken.grantRead(this.worker.fn);

    this.publisher = new SlaFunction(this, 'Publisher', {
      entry: 'integrations/stream.ts',
      description:
        'sla-desk: sends queued mail, publishes new timeline entries to webhooks and Slack threads',
      environment,
      timeout: WORKER_TIMEOUT,
    });
    this.publisher.fn.addEventSource(
      new sources.DynamoEventSource(props.tickets, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new sources.SqsDlq(this.deadLetters),
        filters: [TIMELINE_INSERTS],
      }),
    );
    this.queue.grantSendMessages(this.publisher.fn);
  }

  /** Environment of the API function that receives Slack events and queues jobs. */
  environment(): Record<string, string> {
    return { JOBS_QUEUE_URL: this.queue.queueUrl, SLACK_SIGNING_SECRET_ARN: this.signingSecret.secretArn };
  }
}
