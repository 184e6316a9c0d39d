// Monthly reports: an EventBridge Scheduler cron on the 1st of each month, in the deployment's
// time zone, runs the report function for every customer.
import { Duration } from 'aws-cdk-lib';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { recurringSchedule } from './deadline-scheduler';
import { SlaFunction } from './sla-function';

export interface MonthlyReportsProps {
  environment: Record<string, string>;
  timeZone: string;
  group: scheduler.CfnScheduleGroup;
  deadLetters: sqs.Queue;
}

export class MonthlyReports extends Construct {
  readonly function: SlaFunction;

  constructor(scope: Construct, id: string, props: MonthlyReportsProps) {
    super(scope, id);
    this.function = new SlaFunction(this, 'Function', {
      entry: 'reports/handler.ts',
      description: 'sla-desk: the monthly uptime and SLA report of every customer',
      environment: props.environment,
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    recurringSchedule(this, 'Monthly', {
      description: 'sla-desk monthly reports, 01:00 on the 1st: invoke the report function',
      group: props.group,
      expression: 'cron(0 1 1 * ? *)',
      timeZone: props.timeZone,
      target: this.function,
      deadLetters: props.deadLetters,
      retry: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
    });
  }
}
