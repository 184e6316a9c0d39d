// cdk-nag acknowledgements, each with the reason it does not apply here. Everything else in
// the stack passes AwsSolutions as it is.
import { type Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { ROUTES } from '../functions/http/routes/index';

interface Parts {
  adminKey: secrets.Secret;
  tickets: dynamodb.TableV2;
  integrations: dynamodb.TableV2;
  mailBucket: s3.Bucket;
  scheduleGroup: string;
  /** The live console's WebSocket API. */
  liveApi: apigw.WebSocketApi;
  /** Functions the CDK provider framework invokes (deploy-time custom resources). */
  providerInvoked: lambda.IFunction[];
}

/** The region and account as cdk-nag writes them: pseudo parameters when agnostic, else the values. */
/** The routes anyone may call, each with what it is (test/infra/app.test.ts lists them too). */
const publicRoutes = () =>
  ROUTES.filter((r) => r.roles === 'public')
    .map((r) => `${r.method} ${r.path} (${r.summary})`)
    .join('; ');

export function nagEnvironment(stack: Stack): { region: string; account: string } {
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
  };
}

export function acknowledge(stack: Stack, parts: Parts): void {
  const ack = (id: string, reason: string) => Validations.of(stack).acknowledge({ id, reason });
  const ref = (token: string) => stack.resolve(token) as { 'Fn::GetAtt'?: [string, string] };
  const arnOf = (token: string) => `<${ref(token)['Fn::GetAtt']![0]}.Arn>`;
  const ticketsArn = arnOf(parts.tickets.tableArn);
  const bucketArn = `<${ref(parts.mailBucket.bucketArn)['Fn::GetAtt']![0]}.Arn>`;
  const { region, account } = nagEnvironment(stack);
  const arnPrefix = (service: string) => `arn:<AWS::Partition>:${service}:${region}:${account}`;

  ack(
    'AwsSolutions-COG8',
    'The staff user pool (made only when no OpenID issuer of your own is configured) is on the Essentials plan: sign-in with required MFA and a strong password policy; Plus adds threat protection at a per-user price a desk may choose (featurePlan) but need not pay for.',
  );
  ack(
    'AwsSolutions-APIG4',
    `No Lambda authorizer (it could not cache: a request carries a key or a cookie, and every request ran two functions): each route's function authenticates the caller, an API key or a session, before its handler (functions/http/middleware.ts). Public, each checking its own credential or none: ${publicRoutes()}.`,
  );
  ack(
    'AwsSolutions-SQS3',
    'These queues are themselves dead-letter queues (of the deadline schedules, the monthly report schedule and its units, the jobs queue and the tickets stream).',
  );
  ack(
    'AwsSolutions-SMG4',
    'No secret is a credential of an AWS service: the first admin API key (rotated by creating a new admin key, POST /api-keys) the Slack app’s signing secret and bot token (rotated in Slack, then pasted here), Opsgenie’s API key and PagerDuty’s webhook signing secret (rotated in those services, then pasted here).',
  );
  ack(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'Only the CDK provider framework functions (of the seed and of the rule set activation) use it, for their own logs; sla-desk functions have their own log-only policies.',
  );
  ack(
    `AwsSolutions-IAM5[Resource::${ticketsArn}/index/*]`,
    'Queries on the tickets table’s own GSIs (byCustomer, byStatus, byAttention, ...): the wildcard covers only this table’s indexes.',
  );
  ack(
    `AwsSolutions-IAM5[Resource::${arnOf(parts.integrations.tableArn)}/index/*]`,
    'Queries on the integrations table’s own GSI (byFailed): the wildcard covers only this table’s indexes.',
  );
  for (const prefix of ['inbound', 'attachments', 'quarantine', 'reports', 'uploads', 'search']) {
    ack(
      `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}/*]`,
      `Object keys under ${prefix}/ are per message, ticket or month; access is limited to that prefix.`,
    );
  }
  ack(
    `AwsSolutions-IAM5[Resource::${arnPrefix('scheduler')}:schedule/${parts.scheduleGroup}/*]`,
    'One schedule per ticket deadline, named at run time; create and delete are limited to this stack’s schedule group.',
  );
  const liveApi = (stack.resolve(parts.liveApi.apiId) as { Ref: string }).Ref;
  ack(
    `AwsSolutions-IAM5[Resource::${arnPrefix('execute-api')}:<${liveApi}>/live/*/@connections/*]`,
    'Posting to the live console’s connections: one per open console, named at connect time; limited to this WebSocket API’s live stage and its @connections.',
  );
  for (const resource of ['phone-number', 'pool', 'sender-id', 'configuration-set'])
    ack(
      `AwsSolutions-IAM5[Resource::${arnPrefix('sms-voice')}:${resource}/*]`,
      'Text-message pages go from the phone number, sender id or pool the operator registers in End User Messaging outside the stack (SMS_ORIGINATION_IDENTITY); SendTextMessage only, in this account and region.',
    );
  ack(
    'AwsSolutions-IAM5[Resource::*]',
    'ses:DescribeActiveReceiptRuleSet and ses:SetActiveReceiptRuleSet have no resource-level permissions (the custom resource that activates the rule set).',
  );
  ack(
    `AwsSolutions-IAM5[Resource::${arnPrefix('ses')}:identity/*]`,
    'In the SES sandbox, SendEmail is also authorized against each verified recipient identity; the statement allows only our sender as From (ses:FromAddress).',
  );
  for (const fn of parts.providerInvoked) {
    ack(
      `AwsSolutions-IAM5[Resource::<${ref(fn.functionArn)['Fn::GetAtt']![0]}.Arn>:*]`,
      'The CDK provider framework invokes this deploy-time function, including its versions.',
    );
  }
}
