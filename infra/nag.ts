// cdk-nag acknowledgements, each with the reason it does not apply here. Everything else in
// the stack passes AwsSolutions as it is.
import { type Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secrets from 'aws-cdk-lib/aws-secretsmanager';

interface Parts {
  adminKey: secrets.Secret;
  tickets: dynamodb.TableV2;
  integrations: dynamodb.TableV2;
  mailBucket: s3.Bucket;
  scheduleGroup: string;
  seed: lambda.IFunction;
}

export function acknowledge(stack: Stack, parts: Parts): void {
  const ack = (id: string, reason: string) => Validations.of(stack).acknowledge({ id, reason });
  const ref = (token: string) => stack.resolve(token) as { 'Fn::GetAtt'?: [string, string] };
  const arnOf = (token: string) => `<${ref(token)['Fn::GetAtt']![0]}.Arn>`;
  const ticketsArn = arnOf(parts.tickets.tableArn);
  const bucketArn = `<${ref(parts.mailBucket.bucketArn)['Fn::GetAtt']![0]}.Arn>`;

  ack(
    'AwsSolutions-APIG4',
    'GET /openapi.json is the public description of the API; every other route has the API-key authorizer.',
  );
  ack(
    'AwsSolutions-SQS3',
    'These queues are themselves dead-letter queues (of the deadline schedules, of the jobs queue and the tickets stream).',
  );
  ack(
    'AwsSolutions-SMG4',
    'No secret is a credential of an AWS service: the first admin API key (rotated by creating a new admin key, POST /api-keys) and the Slack app’s signing secret and bot token (rotated in Slack, then pasted here).',
  );
  ack(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'Only the CDK custom-resource framework functions (seed provider, SetActiveReceiptRuleSet) use it, for their own logs; sla-desk functions have their own log-only policies.',
  );
  ack(
    `AwsSolutions-IAM5[Resource::${ticketsArn}/index/*]`,
    'Queries on the tickets table’s own GSIs (byCustomer, byStatus, byAttention, ...): the wildcard covers only this table’s indexes.',
  );
  ack(
    `AwsSolutions-IAM5[Resource::${arnOf(parts.integrations.tableArn)}/index/*]`,
    'Queries on the integrations table’s own GSI (byFailed): the wildcard covers only this table’s indexes.',
  );
  for (const prefix of ['inbound', 'attachments', 'quarantine', 'reports', 'uploads']) {
    ack(
      `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}/*]`,
      `Object keys under ${prefix}/ are per message, ticket or month; access is limited to that prefix.`,
    );
  }
  ack(
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${parts.scheduleGroup}/*]`,
    'One schedule per ticket deadline, named at run time; create and delete are limited to this stack’s schedule group.',
  );
  ack(
    'AwsSolutions-IAM5[Resource::*]',
    'ses:SetActiveReceiptRuleSet has no resource-level permissions (the custom resource that activates the rule set).',
  );
  const seedArn = `<${ref(parts.seed.functionArn)['Fn::GetAtt']![0]}.Arn>`;
  ack(
    `AwsSolutions-IAM5[Resource::${seedArn}:*]`,
    'The CDK provider framework invokes the seed function, including its versions.',
  );
}
