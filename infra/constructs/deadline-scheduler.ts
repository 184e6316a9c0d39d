// Deadline events: the EventBridge Scheduler group the ticket functions create one-shot
// schedules in, the role those schedules run as (it may invoke only the escalation function
// and send only to the dead-letter queue), the encrypted DLQ, the escalation function and
// the sweeper on rate(5 minutes).
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SlaFunction } from './sla-function';

export interface DeadlineSchedulerProps {
  environment: Record<string, string>;
}

export class DeadlineScheduler extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetters: sqs.Queue;
  readonly escalation: SlaFunction;
  readonly sweeper: SlaFunction;

  constructor(scope: Construct, id: string, props: DeadlineSchedulerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: `${stack.stackName}-deadlines` });
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.escalation = new SlaFunction(this, 'Escalation', {
      entry: 'escalation/handler.ts',
      description: 'sla-desk: a deadline event fired: record the warning or breach, escalate',
      environment: props.environment,
    });
    this.sweeper = new SlaFunction(this, 'Sweeper', {
      entry: 'escalation/sweeper.ts',
      description: 'sla-desk: every 5 minutes, attend tickets whose deadline or mail was lost',
      environment: props.environment,
      timeout: Duration.minutes(4),
    });
    // The per-ticket deadline schedules may invoke the escalation function and nothing else.
    this.role = schedulesRole(
      this,
      'Role',
      this.escalation,
      this.deadLetters,
      'sla-desk deadline schedules: invoke the escalation function',
    );
    recurringSchedule(this, 'Sweep', {
      description: 'sla-desk sweeper: invoke the sweeper',
      group: this.group,
      expression: 'rate(5 minutes)',
      target: this.sweeper,
      deadLetters: this.deadLetters,
      retry: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 },
    });
  }

  /** Environment for functions that create deadline schedules. */
  environment(): Record<string, string> {
    return {
      SCHEDULE_GROUP: this.group.name!,
      ESCALATION_FUNCTION_ARN: this.escalation.fn.functionArn,
      SCHEDULER_ROLE_ARN: this.role.roleArn,
      DEADLINE_DLQ_ARN: this.deadLetters.queueArn,
    };
  }

  /** Lets a function create and delete this group's schedules, passing only the schedules' role. */
  grantScheduling(fn: SlaFunction): void {
    const stack = Stack.of(this);
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.group.name}/*`,
          }),
        ],
      }),
    );
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
}

/** A role for schedules that invoke exactly one function (no versions, no aliases) and dead-letter to the DLQ. */
export function schedulesRole(
  scope: Construct,
  id: string,
  target: SlaFunction,
  deadLetters: sqs.Queue,
  description: string,
): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description,
  });
  role.addToPolicy(
    new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.fn.functionArn] }),
  );
  deadLetters.grantSendMessages(role);
  return role;
}

export interface RecurringScheduleProps {
  description: string;
  group: scheduler.CfnScheduleGroup;
  expression: string;
  timeZone?: string;
  target: SlaFunction;
  deadLetters: sqs.Queue;
  retry: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number };
}

/** A schedule in the group that invokes one function, with a role that can invoke only it. */
export function recurringSchedule(
  scope: Construct,
  id: string,
  props: RecurringScheduleProps,
): scheduler.CfnSchedule {
  const role = schedulesRole(scope, `${id}Role`, props.target, props.deadLetters, props.description);
  const schedule = new scheduler.CfnSchedule(scope, id, {
    description: props.description,
    groupName: props.group.name!,
    scheduleExpression: props.expression,
    ...(props.timeZone ? { scheduleExpressionTimezone: props.timeZone } : {}),
    flexibleTimeWindow: { mode: 'OFF' },
    target: {
      arn: props.target.fn.functionArn,
      roleArn: role.roleArn,
      input: '{}',
      retryPolicy: props.retry,
      deadLetterConfig: { arn: props.deadLetters.queueArn },
    },
  });
  schedule.node.addDependency(props.group);
  return schedule;
}
