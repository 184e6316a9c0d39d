// Monthly reports: an EventBridge Scheduler cron on the 1st of each month, in the deployment's
// time zone, invokes the report function to start the run: one unit per customer on the
// reports queue, which the same function takes a few at a time (partial batch failures); a
// unit failing three times rests in the dead-letter queue, which raises an alarm. The schedule
// has a group and a dead-letter queue of its own (not the deadlines'), so a run that could not
// start raises its own alarm rather than passing for a lost deadline.
import { Duration, Stack } from 'aws-cdk-lib';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { UNIT_ATTEMPTS } from '../../functions/app/report-units';
import { recurringSchedule } from './deadline-scheduler';
import { SlaFunction } from './sla-function';

export interface MonthlyReportsProps {
  environment: Record<string, string>;
  timeZone: string;
}

/** A batch of units one invocation reports, at most. */
export const UNITS_PER_INVOCATION = 5;
const FUNCTION_TIMEOUT = Duration.minutes(15);

export class MonthlyReports extends Construct {
  readonly function: SlaFunction;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly group: scheduler.CfnScheduleGroup;
  /** Where the schedule's invocations that failed go: a month whose run did not start. */
  readonly scheduleDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: MonthlyReportsProps) {
    super(scope, id);
    const queueDefaults = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetters = new sqs.Queue(this, 'UnitDeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    this.scheduleDeadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    this.group = new scheduler.CfnScheduleGroup(this, 'Group', {
      name: `${Stack.of(this).stackName}-reports`,
    });
    this.queue = new sqs.Queue(this, 'Units', {
      ...queueDefaults,
      // Lambda asks for six times the function's timeout.
      visibilityTimeout: Duration.minutes(FUNCTION_TIMEOUT.toMinutes() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: UNIT_ATTEMPTS },
    });
    this.function = new SlaFunction(this, 'Function', {
      entry: 'reports/handler.ts',
      description: 'sla-desk: starts the monthly report run and reports its units, a customer each',
      environment: { ...props.environment, REPORTS_QUEUE_URL: this.queue.queueUrl },
      timeout: FUNCTION_TIMEOUT,
      memorySize: 1024,
    });
    this.queue.grantSendMessages(this.function.fn);
    this.function.fn.addEventSource(
      new sources.SqsEventSource(this.queue, {
        batchSize: UNITS_PER_INVOCATION,
        reportBatchItemFailures: true,
      }),
    );
    recurringSchedule(this, 'Monthly', {
      description: 'sla-desk monthly reports, 01:00 on the 1st: invoke the report function',
      group: this.group,
      expression: 'cron(0 1 1 * ? *)',
      timeZone: props.timeZone,
      target: this.function,
      deadLetters: this.scheduleDeadLetters,
      retry: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
    });
  }
}
