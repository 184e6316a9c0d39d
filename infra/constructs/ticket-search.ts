// Search: the function that keeps the ticket index in the bucket current from the tickets
// table's stream. The index is read by the search API function (functions/http/routes/
// search.ts); one writer (reserved concurrency 1), batches of up to a second.
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TIMELINE_INSERTS } from './integrations';
import { SlaFunction } from './sla-function';

export interface TicketSearchProps {
  tickets: dynamodb.ITable;
  environment: Record<string, string>;
}

export class TicketSearch extends Construct {
  readonly indexer: SlaFunction;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: TicketSearchProps) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.indexer = new SlaFunction(this, 'Indexer', {
      entry: 'search/indexer.ts',
      description: 'sla-desk: keeps the ticket search index in the bucket current',
      environment: props.environment,
      // The whole index is held in memory (100 000 tickets: see npm run bench:search).
      memorySize: 3008,
      timeout: Duration.minutes(5),
      // The index's only writer: one batch at a time.
      reservedConcurrency: 1,
    });
    this.indexer.fn.addEventSource(
      new sources.DynamoEventSource(props.tickets, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(1),
        retryAttempts: 10,
        onFailure: new sources.SqsDlq(this.deadLetters),
        // Every change of a ticket stores a timeline entry: those records name the tickets.
        filters: [TIMELINE_INSERTS],
      }),
    );
  }
}
