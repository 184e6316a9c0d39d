// The CDK app, synthesised without bundling (aws:cdk:bundling-stacks is empty): cdk-nag is
// clean, and the template has what the deployment promises.
import { App, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import type { SlaDeskStack } from '../../infra/sla-desk-stack';
import { CONTRACT_ROUTES } from '../contract-routes';

const noBundling = (context: Record<string, string> = {}) =>
  new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
let stack: SlaDeskStack;
let template: Template;

// A whole synth with cdk-nag and the OpenAPI document: seconds, more on a busy machine.
beforeAll(() => {
  const built = buildApp(noBundling());
  built.app.synth(); // throws on any unacknowledged cdk-nag AwsSolutions error
  stack = built.stack;
  template = Template.fromStack(stack);
}, 60_000);

type Statement = { Action: string | string[]; Resource: unknown };
function statementsOf(roleLogicalIdPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies)
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const logicalId = (construct: { node: { defaultChild?: unknown } } | object) =>
  stack.getLogicalId((construct as { node: { defaultChild: never } }).node.defaultChild);
const actions = (s: Statement) => [s.Action].flat();

describe('CDK app', () => {
  it('synthesises with cdk-nag AwsSolutions and no unacknowledged error', () => {
    expect(template.toJSON().Resources).toBeTypeOf('object');
  });

  it('fails synth when a resource breaks an AwsSolutions rule', () => {
    const { app, stack: s } = buildApp(noBundling());
    new s3.Bucket(s, 'Careless');
    expect(() => app.synth()).toThrow(/AwsSolutions-S(1|10)/);
  });

  it('has every route of the contract, all but GET /openapi.json behind the API-key authorizer', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    const byKey = Object.fromEntries(Object.values(routes).map((r) => [r.Properties.RouteKey, r.Properties]));
    const expected = [...CONTRACT_ROUTES];
    expect(Object.keys(byKey).sort()).toEqual(expected.sort());
    // The document and the sign-in routes authenticate in their handlers (keys or session cookies).
    const unguarded = (key: string) =>
      key === 'GET /openapi.json' || key.includes(' /auth/') || key.includes(' /integrations/');
    for (const key of expected) {
      expect(byKey[key].AuthorizationType, key).toBe(unguarded(key) ? 'NONE' : 'CUSTOM');
    }
    // A key or a cookie: no identity source is required, so results are not cached.
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
  });

  it('runs every function on arm64 and the newest Node.js runtime, with a log group that expires', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.Description ?? '').startsWith('sla-desk'),
    );
    // authorizer, 9 API groups, escalation, sweeper, inbound mail, reports, seed, jobs worker, publisher
    expect(functions.length).toBe(17);
    for (const f of functions) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      expect(f.Properties.Environment.Variables.TICKETS_TABLE).toBeTruthy();
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('tells the functions whose mail links to the portal where it is', () => {
    const vars = (fn: { node: { defaultChild?: unknown } }) =>
      template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as never)].Properties.Environment
        .Variables as Record<string, unknown>;
    for (const fn of [
      stack.api.functions.auth.fn,
      stack.reports.function.fn,
      stack.api.functions.operations.fn,
    ]) {
      expect(vars(fn).PORTAL_URL, fn.node.path).toBeDefined();
    }
  });

  it('tells the functions that read a file beside their code where it is, and no other', () => {
    const env = (fn: { node: { defaultChild?: unknown } }) =>
      template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as never)].Properties.Environment
        .Variables as Record<string, string>;
    const besides = new Map<string, Record<string, string>>([
      [stack.api.functions.plans.fn.node.path, { HOLIDAY_DATA_DIR: '/var/task/holiday-data' }],
      [stack.seed.fn.node.path, { HOLIDAY_DATA_DIR: '/var/task/holiday-data' }],
      [stack.api.functions.openapi.fn.node.path, { OPENAPI_DOCUMENT: '/var/task/openapi.json' }],
    ]);
    const all = Object.values(stack.functionsByName()).map((f) => f.fn);
    for (const fn of all) {
      const vars = env(fn);
      const found = Object.fromEntries(
        ['HOLIDAY_DATA_DIR', 'OPENAPI_DOCUMENT'].filter((k) => k in vars).map((k) => [k, vars[k]]),
      );
      expect(found, fn.node.path).toEqual(besides.get(fn.node.path) ?? {});
    }
  });

  it('keeps every table with point-in-time recovery and deletion protection, TTL where items expire', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables).toHaveLength(6);
    for (const t of tables) {
      expect(t.Properties.Replicas[0]).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
    // Tickets (idempotency claims), inbound (auto-reply counts), directory (links, sessions),
    // integrations (deliveries).
    expect(tables.filter((t) => t.Properties.TimeToLiveSpecification?.Enabled)).toHaveLength(4);
    // Only the tickets table streams: its new timeline entries are published.
    const streams = tables.filter((t) => t.Properties.StreamSpecification);
    expect(streams.map((t) => t.Properties.StreamSpecification)).toEqual([{ StreamViewType: 'NEW_IMAGE' }]);
  });

  it('lets the deadline schedules invoke only the escalation function', () => {
    const roleId = logicalId(stack.deadlines.role);
    const invoke = statementsOf(roleId).filter((s) => actions(s).includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    expect(JSON.stringify(invoke[0]!.Resource)).toContain(logicalId(stack.deadlines.escalation.fn));
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 1 * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  it('gives each function only what it needs: the report function cannot write tickets', () => {
    const ticketsTable = logicalId(stack.tables.byName.tickets);
    const writes = (role: string) =>
      statementsOf(role)
        .filter((s) => JSON.stringify(s.Resource).includes(ticketsTable))
        .flatMap(actions)
        .filter((a) => /Put|Update|Delete|Write/.test(a));
    expect(writes(logicalId(stack.reports.function.role))).toEqual([]);
    expect(writes(logicalId(stack.api.functions.plans.role))).toEqual([]);
    expect(writes(logicalId(stack.api.functions.operations.role))).toEqual([]);
    expect(writes(logicalId(stack.api.functions.tickets.role)).length).toBeGreaterThan(0);
    const canSchedule = (role: string) =>
      statementsOf(role).some((s) => actions(s).includes('scheduler:CreateSchedule'));
    expect(canSchedule(logicalId(stack.api.functions.tickets.role))).toBe(true);
    expect(canSchedule(logicalId(stack.deadlines.escalation.role))).toBe(false);
    expect(canSchedule(logicalId(stack.reports.function.role))).toBe(false);
  });

  it('lets the alerts function file tickets and incidents, and touch nothing else', () => {
    const role = logicalId(stack.api.functions.integrations.role);
    const resources = JSON.stringify(statementsOf(role).map((s) => s.Resource));
    const t = stack.tables.byName;
    for (const table of [t.tickets, t.incidents, t.directory]) expect(resources).toContain(logicalId(table));
    for (const table of [t.reports, t.inbound]) expect(resources).not.toContain(logicalId(table));
    expect(resources).not.toContain(logicalId(stack.inbound.bucket)); // no blobs, no raw mail
    expect(resources).not.toContain('AdminApiKey');
    const writesDirectory = statementsOf(role)
      .filter((s) => JSON.stringify(s.Resource).includes(logicalId(t.directory)))
      .flatMap(actions)
      .filter((a) => /Put|Update|Delete|Write/.test(a));
    expect(writesDirectory).toEqual([]);
    // Its routes authenticate callers themselves (a monitoring key): no authorizer in front.
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const alerts = routes.find((r) => r.Properties.RouteKey === 'POST /integrations/alerts')!;
    expect(alerts.Properties.AuthorizationType).toBe('NONE');
  });

  it('fans the monthly reports out: one queued unit per customer, a few per invocation, three attempts, then dead letters', () => {
    const units = logicalId(stack.reports.queue);
    const dlq = logicalId(stack.reports.deadLetters);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 90 * 60,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 3 },
    });
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(
      (m) => m.Properties,
    );
    const fromUnits = mappings.find((m) => JSON.stringify(m.EventSourceArn).includes(units))!;
    expect(fromUnits.FunctionName.Ref).toBe(logicalId(stack.reports.function.fn));
    expect(fromUnits).toMatchObject({ BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    // The schedule starts the run; the run and POST /reports/run queue units.
    const senders = (role: string) =>
      statementsOf(role).some(
        (s) => actions(s).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(units),
      );
    expect(senders(logicalId(stack.reports.function.role))).toBe(true);
    expect(senders(logicalId(stack.api.functions.operations.role))).toBe(true);
    expect(senders(logicalId(stack.api.functions.tickets.role))).toBe(false);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(
      alarms.some(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(dlq),
      ),
    ).toBe(true);
  });

  it('runs jobs from an encrypted SQS queue with a dead-letter queue, reporting failures item by item', () => {
    const jobs = logicalId(stack.integrations.queue);
    const dlq = logicalId(stack.integrations.deadLetters);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 25 },
    });
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(
      (m) => m.Properties,
    );
    const fromQueue = mappings.find((m) => JSON.stringify(m.EventSourceArn).includes(jobs))!;
    expect(fromQueue.FunctionName.Ref).toBe(logicalId(stack.integrations.worker.fn));
    expect(fromQueue.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    // The stream: inserted timeline entries only, failures to the dead-letter queue.
    const fromStream = mappings.find((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn'))!;
    expect(fromStream.FunctionName.Ref).toBe(logicalId(stack.integrations.publisher.fn));
    expect(fromStream).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(JSON.parse(fromStream.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { sk: { S: [{ prefix: 'T#' }] } } },
    });
    expect(JSON.stringify(fromStream.DestinationConfig)).toContain(dlq);
  });

  it('gives each Slack secret to the one function that uses it, and the integrations table to none of the public ones', () => {
    const { signingSecret, botToken, worker, publisher } = stack.integrations;
    const readers = (secret: string) =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(secret))
        .flatMap(([, p]) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    expect(readers(logicalId(signingSecret))).toEqual([logicalId(stack.api.functions.integrations.role)]);
    expect(readers(logicalId(botToken))).toEqual([logicalId(worker.role)]);
    const t = stack.tables.byName;
    const touches = (role: { role: object }, table: object) =>
      JSON.stringify(statementsOf(logicalId(role.role)).map((s) => s.Resource)).includes(logicalId(table));
    expect(touches(stack.api.functions.integrations, t.integrations)).toBe(false);
    expect(touches(stack.api.functions.connections, t.integrations)).toBe(true);
    expect(touches(stack.api.functions.connections, t.tickets)).toBe(false);
    // The publisher marks the mail it sent: it writes tickets, and may send mail.
    const publisherActions = statementsOf(logicalId(publisher.role)).flatMap(actions);
    expect(publisherActions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'ses:SendEmail']));
    // The admin routes are behind the authorizer; Slack's and monitoring's authenticate themselves.
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    expect(routes.find((r) => r.RouteKey === 'POST /customers/{id}/webhooks')!.AuthorizationType).toBe(
      'CUSTOM',
    );
    expect(routes.find((r) => r.RouteKey === 'POST /integrations/slack/events')!.AuthorizationType).toBe(
      'NONE',
    );
  });

  it('stores received mail in S3 before invoking the inbound function, and activates the rule set', () => {
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0]!;
    const kinds = rule.Properties.Rule.Actions.map((a: object) => Object.keys(a)[0]);
    expect(kinds).toEqual(['S3Action', 'LambdaAction']);
    expect(rule.Properties.Rule.Actions[0].S3Action.ObjectKeyPrefix).toBe('inbound/');
    expect(rule.Properties.Rule.Actions[1].LambdaAction.InvocationType).toBe('Event');
    expect(JSON.stringify(template.findResources('Custom::AWS'))).toContain('setActiveReceiptRuleSet');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 30 })]),
      },
    });
  });

  it('raises alarms on errors, throttles, dead letters and API 5xx, on an encrypted topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const metrics = alarms.map((a) => a.Properties.MetricName);
    // Every function but the seed, whose failure fails the deploy itself.
    expect(metrics.filter((m) => m === 'Errors')).toHaveLength(16);
    expect(metrics.filter((m) => m === 'Throttles')).toHaveLength(16);
    // The deadline events' dead letters, the jobs' and the report units'.
    expect(metrics.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(3);
    expect(metrics).toContain('5xx');
    // The breach rate: the Breaches total the functions publish (EMF), summed over an hour.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'sla-desk',
      MetricName: 'Breaches',
      Dimensions: [{ Name: 'service', Value: 'sla-desk' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 4, // 5 or more within an hour
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        Enabled: true,
      }),
    });
  });

  it('takes the breach-rate threshold from the context, and refuses one that is not a whole number', () => {
    const { stack: custom } = buildApp(noBundling({ breachAlarmPerHour: '20' }));
    Template.fromStack(custom).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Breaches',
      Threshold: 19,
    });
    for (const bad of ['0', '2.5', 'many', '1e9']) {
      expect(() => buildApp(noBundling({ breachAlarmPerHour: bad })), bad).toThrow(
        /breachAlarmPerHour must be a whole number from 1 to 100000/,
      );
    }
  });
});
