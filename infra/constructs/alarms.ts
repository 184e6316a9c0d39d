// Alarms on an encrypted SNS topic (optionally mailed): every function's errors and
// throttles, dead letters in the deadline queue, the API's 5xx answers, and the rate of SLA
// breaches (the Breaches metric the functions publish, functions/observability.ts).
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../functions/metrics';
import { SERVICE } from '../../functions/observability';
import type { SlaFunction } from './sla-function';

export interface AlarmsProps {
  functions: Record<string, SlaFunction>;
  /** Dead-letter queues by name, with what lands in each. */
  deadLetters: Record<string, { queue: sqs.IQueue; what: string }>;
  api: apigw.HttpApi;
  email: string | null;
  /** Breaches within an hour that raise the breach-rate alarm. */
  breachesPerHour: number;
}

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'sla-desk alarm topic' });
    this.topic = new sns.Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    // CloudWatch publishes the alarms: without the key it could not, and no alarm would arrive.
    this.allowPublisher('cloudwatch.amazonaws.com');
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const notify = new cwActions.SnsAction(this.topic);
    const alarm = (name: string, metric: cloudwatch.IMetric, description: string, over = 0) =>
      new cloudwatch.Alarm(this, name, {
        metric,
        threshold: over,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(notify);
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.fn.metricErrors({ period: Duration.minutes(5) }), `${name} function errors`);
      alarm(
        `${name}Throttles`,
        fn.fn.metricThrottles({ period: Duration.minutes(5) }),
        `${name} function throttled`,
      );
    }
    for (const [name, { queue, what }] of Object.entries(props.deadLetters)) {
      alarm(name, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), what);
    }
    alarm('Api5xx', props.api.metricServerError({ period: Duration.minutes(5) }), 'API answered 5xx');
    alarm(
      'BreachRate',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'Breaches',
        dimensionsMap: { service: SERVICE },
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      `${props.breachesPerHour} or more SLA deadlines breached within an hour, over all customers`,
      props.breachesPerHour - 1,
    );
  }

  /** Lets an AWS service of this account publish to the encrypted topic (use its key). */
  allowPublisher(service: string): void {
    const principal = new iam.ServicePrincipal(service, {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    });
    this.key.grant(principal, 'kms:Decrypt', 'kms:GenerateDataKey*');
  }
}
