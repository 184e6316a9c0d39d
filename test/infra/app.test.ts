// The CDK app, synthesised without bundling (aws:cdk:bundling-stacks is empty): cdk-nag is
// clean, and the template has what the deployment promises.

import { App, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_LEASE_MS } from '../../functions/app/attend';
import { DELIVERY_STALE_MS } from '../../functions/app/inbound';
import { ROUTES } from '../../functions/http/routes/index';
import { buildApp } from '../../infra/app';
import type { SlaDeskStack } from '../../infra/sla-desk-stack';
import { CONTRACT_ROUTES } from '../contract-routes';

const noBundling = (context: Record<string, string> = {}) =>
  new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
let stack: SlaDeskStack;
let template: Template;

// A whole synth with cdk-nag and the OpenAPI document: seconds, more on a busy machine.
beforeAll(() => {
  const built = buildApp(noBundling(), {}); // environment-agnostic, whatever the CLI's profile
  built.app.synth(); // throws on any unacknowledged cdk-nag AwsSolutions error
  stack = built.stack;
  template = Template.fromStack(stack);
}, 60_000);

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
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

  it('has every route of the contract, each one function: no authorizer, the public routes named', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    const live = logicalId(stack.live.api);
    // The live console's WebSocket API has its own three routes: its $connect checks a one-time token.
    const [http, socket] = [
      Object.values(routes).filter((r) => r.Properties.ApiId?.Ref !== live),
      Object.values(routes).filter((r) => r.Properties.ApiId?.Ref === live),
    ];
    expect(socket.map((r) => r.Properties.RouteKey).sort()).toEqual(['$connect', '$default', '$disconnect']);
    const byKey = Object.fromEntries(http.map((r) => [r.Properties.RouteKey, r.Properties]));
    const expected = [...CONTRACT_ROUTES];
    expect(Object.keys(byKey).sort()).toEqual(expected.sort());
    // Each function authenticates its callers (an authorizer could not cache: a key or a cookie).
    for (const key of expected) expect(byKey[key].AuthorizationType ?? 'NONE', key).toBe('NONE');
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    // The routes anyone may call: a new one must be added here, and is named in the nag reason.
    const open = ROUTES.filter((r) => r.roles === 'public').map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual(
      [
        'GET /openapi.json', // the API's description
        'GET /auth/sso', // staff sign-in: which providers, the redirect, the provider's answer
        'GET /auth/sso/start',
        'GET /auth/sso/callback',
        'POST /auth/links', // a sign-in link by mail, a session from it, an invitation finished
        'POST /auth/sessions',
        'POST /auth/invitations',
        'POST /integrations/alerts', // monitoring, Slack, PagerDuty, Opsgenie: their signatures or tokens
        'POST /integrations/slack/events',
        'POST /integrations/pagerduty',
        'POST /integrations/opsgenie',
        'POST /pages/acknowledge', // the page's one-time link is its credential
      ].sort(),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
  });

  it('runs every function on arm64 and Node.js 22 unless told, with a log group that expires', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, f]) =>
      String(f.Properties.Description ?? '').startsWith('sla-desk'),
    );
    // 12 API functions (11 route groups and the document), escalation, sweeper, inbound mail,
    // reports, seed, jobs worker, publisher, indexer, live connections, the rule set's
    // activation (no authorizer: each API function authenticates its callers)
    expect(functions.length).toBe(22);
    const activation = logicalId(stack.inbound.activation!.fn);
    for (const [id, f] of functions) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      // All but the rule set's activation read the tables.
      expect(Boolean(f.Properties.Environment.Variables.TICKETS_TABLE), id).toBe(id !== activation);
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
      stack.inbound.function.fn,
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
    // The escalation function schedules the steps a breach begins.
    expect(canSchedule(logicalId(stack.deadlines.escalation.role))).toBe(true);
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

  it('keeps the search index with one writer from the stream, read by the search function, both with the memory it needs', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const indexer = functions[logicalId(stack.search.indexer.fn)]!.Properties;
    const search = functions[logicalId(stack.api.functions.search.fn)]!.Properties;
    const workbench = functions[logicalId(stack.api.functions.workbench.fn)]!.Properties;
    expect(indexer).toMatchObject({ MemorySize: 3008, ReservedConcurrentExecutions: 1 });
    expect(search.MemorySize).toBe(3008);
    // The workbench's macros and bulk changes hold no index: the default memory.
    expect(workbench.MemorySize).toBe(512);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(
      (m) => m.Properties,
    );
    const fromStream = mappings.find((m) => m.FunctionName.Ref === logicalId(stack.search.indexer.fn))!;
    expect(JSON.stringify(fromStream.EventSourceArn)).toContain('StreamArn');
    expect(JSON.parse(fromStream.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { sk: { S: [{ prefix: 'T#' }] } } },
    });
    // The index's prefix only: the indexer may delete what it folded, the search function only
    // reads; the workbench, which writes tickets, does not read the index.
    const s3Of = (role: { node: { defaultChild?: unknown } }) =>
      statementsOf(logicalId(role)).filter((st) => actions(st).some((a) => a.startsWith('s3:')));
    const indexerS3 = s3Of(stack.search.indexer.role);
    expect(indexerS3.flatMap(actions).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(indexerS3.map((st) => st.Resource))).toContain('/search/*');
    expect(s3Of(stack.api.functions.search.role).flatMap(actions)).toEqual(['s3:GetObject']);
    expect(s3Of(stack.api.functions.workbench.role)).toEqual([]);
    // Search reads: no write but a key's use (a conditioned update of its lastUsedAt), no
    // schedule, no mail, no page.
    const searchStatements = statementsOf(logicalId(stack.api.functions.search.role));
    const searchActions = searchStatements.filter((st) => !st.Condition).flatMap(actions);
    expect(searchActions).not.toContain('dynamodb:PutItem');
    expect(searchActions).not.toContain('dynamodb:UpdateItem');
    expect(searchActions.some((a) => a.startsWith('scheduler:') || a.startsWith('ses:'))).toBe(false);
  });

  it('pushes to live consoles over a WebSocket API: access-logged, posted to by the publisher and the staff API only', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'live',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const manages = (f: { role: object }) =>
      statementsOf(logicalId(f.role)).some((st) => actions(st).includes('execute-api:ManageConnections'));
    const f = stack.api.functions;
    expect([stack.integrations.publisher, f.staff].every(manages)).toBe(true);
    expect(
      [f.tickets, f.auth, f.integrations, stack.live.connections, stack.reports.function].some(manages),
    ).toBe(false);
  });

  it('gives each secret to the functions that use it (the bot token: the worker and whoever pages), and the integrations table to none of the public ones', () => {
    const { signingSecret, botToken, worker, publisher } = stack.integrations;
    const readers = (secret: string) =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(secret))
        .flatMap(([, p]) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    expect(readers(logicalId(signingSecret))).toEqual([logicalId(stack.api.functions.integrations.role)]);
    // The bot token: the worker (Slack posts) and the functions that may page (direct messages).
    const paging = [
      stack.api.functions.tickets,
      stack.api.functions.workbench,
      stack.api.functions.directory,
      stack.api.functions.integrations,
      worker,
      stack.deadlines.escalation,
      stack.deadlines.sweeper,
      stack.inbound.function,
      publisher,
    ];
    expect(readers(logicalId(botToken)).sort()).toEqual(paging.map((f) => logicalId(f.role)).sort());
    expect(readers(logicalId(stack.paging.opsgenieKey)).sort()).toEqual(
      paging.map((f) => logicalId(f.role)).sort(),
    );
    expect(readers(logicalId(stack.paging.pagerDutyWebhookSecret))).toEqual([
      logicalId(stack.api.functions.integrations.role),
    ]);
    const texts = (f: { role: object }) =>
      statementsOf(logicalId(f.role)).some((st) => actions(st).includes('sms-voice:SendTextMessage'));
    expect(paging.every(texts)).toBe(true);
    expect([stack.reports.function, stack.api.functions.staff, stack.api.functions.auth].some(texts)).toBe(
      false,
    );
    const t = stack.tables.byName;
    const touches = (role: { role: object }, table: object) =>
      JSON.stringify(statementsOf(logicalId(role.role)).map((s) => s.Resource)).includes(logicalId(table));
    expect(touches(stack.api.functions.integrations, t.integrations)).toBe(false);
    expect(touches(stack.api.functions.connections, t.integrations)).toBe(true);
    expect(touches(stack.api.functions.connections, t.tickets)).toBe(false);
    // The publisher marks the mail it sent: it writes tickets, and may send mail.
    const publisherActions = statementsOf(logicalId(publisher.role)).flatMap(actions);
    expect(publisherActions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'ses:SendEmail']));
  });

  it('stores received mail in S3 before invoking the inbound function, and activates the rule set', () => {
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0]!;
    const kinds = rule.Properties.Rule.Actions.map((a: object) => Object.keys(a)[0]);
    expect(kinds).toEqual(['S3Action', 'LambdaAction']);
    expect(rule.Properties.Rule.Actions[0].S3Action.ObjectKeyPrefix).toBe('inbound/');
    expect(rule.Properties.Rule.Actions[1].LambdaAction.InvocationType).toBe('Event');
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
    expect(metrics.filter((m) => m === 'Errors')).toHaveLength(20);
    expect(metrics.filter((m) => m === 'Throttles')).toHaveLength(20);
    // The deadline events' dead letters, the jobs', the report schedule's and the report units'.
    expect(metrics.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(4);
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

// Issue 16: what cfn-lint and a reading of the template found, each held here.
describe('the deployment, checked from outside', () => {
  // biome-ignore lint/suspicious/noExplicitAny: template properties are read field by field in assertions
  type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
  const resources = () => template.toJSON().Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources()).filter(([, r]) => r.Type === type);
  const refersTo = (value: unknown, id: string) => JSON.stringify(value).includes(`"${id}"`);

  it('lets every service that publishes to an encrypted topic use its key, for this account only', () => {
    const topics = ofType('AWS::SNS::Topic').filter(([, t]) => t.Properties.KmsMasterKeyId);
    expect(topics.length).toBeGreaterThan(0);
    for (const [topicId, topic] of topics) {
      const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
      const publishers = new Set<string>();
      for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
        if (refersTo(alarm.Properties.AlarmActions, topicId)) publishers.add('cloudwatch.amazonaws.com');
      }
      for (const [, d] of ofType('AWS::SES::ConfigurationSetEventDestination')) {
        if (refersTo(d.Properties.EventDestination.SnsDestination, topicId))
          publishers.add('ses.amazonaws.com');
      }
      expect([...publishers].sort()).toEqual(['cloudwatch.amazonaws.com', 'ses.amazonaws.com']);
      const statements = resources()[keyId]!.Properties.KeyPolicy.Statement as {
        Principal?: { Service?: string };
        Action: string | string[];
        Condition?: Record<string, Record<string, unknown>>;
      }[];
      for (const service of publishers) {
        const granted = statements.filter((s) => s.Principal?.Service === service);
        expect(granted.flatMap((s) => [s.Action].flat()).sort(), service).toEqual([
          'kms:Decrypt',
          'kms:GenerateDataKey*',
        ]);
        for (const s of granted) expect(s.Condition?.StringEquals?.['aws:SourceAccount']).toBeDefined();
      }
    }
    // Queues are encrypted with SQS-managed keys: no key policy for a publisher to miss.
    for (const [, q] of ofType('AWS::SQS::Queue')) {
      expect(q.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      expect(q.Properties.KmsMasterKeyId).toBeUndefined();
    }
  });

  it("activates the rule set with a resource whose id never changes, served by the stack's own function", () => {
    const [ruleSet] = ofType('AWS::SES::ReceiptRuleSet');
    expect(ruleSet![1].Properties.RuleSetName).toBe('SlaDesk-inbound');
    const [[, activation]] = ofType('Custom::ActiveReceiptRuleSet') as [[string, Resource]];
    expect(activation.Properties.RuleSetName).toBe('SlaDesk-inbound');
    expect(ofType('Custom::AWS')).toEqual([]); // no AwsCustomResource that deactivates whatever is active
    // The provider's framework invokes the activation function, which may only read and set the active set.
    const fnId = logicalId(stack.inbound.activation!.fn);
    const framework = ofType('AWS::Lambda::Function').find(([, f]) =>
      refersTo(f.Properties.Environment, fnId),
    );
    expect(framework).toBeDefined();
    expect(refersTo(activation.Properties.ServiceToken, framework![0])).toBe(true);
    expect(statementsOf(logicalId(stack.inbound.activation!.role)).flatMap(actions).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'ses:DescribeActiveReceiptRuleSet',
      'ses:SetActiveReceiptRuleSet',
    ]);
  });

  it('gives the inbound function the configuration set, like every function that sends mail', () => {
    const senders = Object.values(stack.functionsByName()).filter((f) =>
      statementsOf(logicalId(f.role)).some((s) => actions(s).includes('ses:SendEmail')),
    );
    expect(senders.map((f) => f.node.path)).toContain(stack.inbound.function.node.path);
    expect(senders).toHaveLength(13);
    for (const f of senders) {
      const vars = resources()[logicalId(f.fn)]!.Properties.Environment.Variables;
      expect(vars.SES_CONFIGURATION_SET, f.node.path).toEqual({
        Ref: logicalId(stack.inbound.configurationSet),
      });
    }
  });

  it('lets SES write raw mail and invoke the inbound function only as this rule of this account', () => {
    const ruleArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':receipt-rule-set/SlaDesk-inbound:receipt-rule/support-mail',
        ],
      ],
    };
    const [[, rule]] = ofType('AWS::SES::ReceiptRule') as [[string, Resource]];
    expect(rule.Properties.Rule.Name).toBe('support-mail');
    const sesStatements = ofType('AWS::S3::BucketPolicy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'ses.amazonaws.com');
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': ruleArn },
    });
    const invokes = ofType('AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties.Principal === 'ses.amazonaws.com',
    );
    expect(invokes).toHaveLength(1);
    expect(invokes[0]![1].Properties).toMatchObject({
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: ruleArn,
    });
    // SES checks both when it creates the rule.
    expect(rule.DependsOn?.sort()).toEqual([invokes[0]![0], logicalId(stack.inbound.bucket.policy!)].sort());
  });

  it('keeps the sweeper from overlapping itself: its lease outlasts its timeout', () => {
    const timeout = resources()[logicalId(stack.deadlines.sweeper.fn)]!.Properties.Timeout as number;
    expect(timeout * 1000).toBeLessThan(SWEEP_LEASE_MS);
  });

  it('takes a failed first delivery of a mail for over only after the inbound function’s timeout', () => {
    const timeout = resources()[logicalId(stack.inbound.function.fn)]!.Properties.Timeout as number;
    expect(timeout * 1000).toBeLessThan(DELIVERY_STALE_MS);
  });

  it('writes no bucket ACLs, delivers access logs by policy, and keeps each prefix of the mail bucket as decided', () => {
    for (const [id, b] of ofType('AWS::S3::Bucket')) {
      expect(b.Properties.AccessControl, id).toBeUndefined();
    }
    const logs = resources()[logicalId(stack.inbound.accessLogs)]!;
    expect(logs.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    const delivery = ofType('AWS::S3::BucketPolicy')
      .filter(([, p]) => refersTo(p.Properties.Bucket, logicalId(stack.inbound.accessLogs)))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter(
        (s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'logging.s3.amazonaws.com',
      );
    expect(delivery.length).toBe(3); // the mail bucket, the pages and the edge logs
    const rules = resources()[logicalId(stack.inbound.bucket)]!.Properties.LifecycleConfiguration.Rules as {
      Prefix?: string;
      ExpirationInDays?: number;
      Transitions?: unknown[];
      AbortIncompleteMultipartUpload?: unknown;
    }[];
    const byPrefix = Object.fromEntries(rules.filter((r) => r.Prefix).map((r) => [r.Prefix, r]));
    // Every prefix the functions write has a rule.
    expect(Object.keys(byPrefix).sort()).toEqual([
      'attachments/',
      'inbound/',
      'quarantine/',
      'reports/',
      'uploads/',
    ]);
    expect(byPrefix['inbound/']!.ExpirationInDays).toBe(30);
    expect(byPrefix['quarantine/']!.ExpirationInDays).toBe(90);
    for (const kept of ['attachments/', 'uploads/', 'reports/']) {
      expect(byPrefix[kept]!.ExpirationInDays, kept).toBeUndefined();
      expect(byPrefix[kept]!.Transitions, kept).toEqual([
        { StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 },
      ]);
    }
    expect(rules.some((r) => r.AbortIncompleteMultipartUpload)).toBe(true);
  });

  it('runs the monthly report schedule in a group, with dead letters and an alarm, of its own', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    const monthly = schedules.find((s) => s.ScheduleExpression === 'cron(0 1 1 * ? *)')!;
    const sweep = schedules.find((s) => s.ScheduleExpression === 'rate(5 minutes)')!;
    expect(monthly.GroupName).toBe('SlaDesk-reports');
    expect(sweep.GroupName).toBe('SlaDesk-deadlines');
    const dlq = logicalId(stack.reports.scheduleDeadLetters);
    expect(monthly.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [dlq, 'Arn'] });
    expect(refersTo(sweep.Target.DeadLetterConfig, dlq)).toBe(false);
    // The deadline events' schedules (created at run time) dead-letter elsewhere.
    const deadlineEnv =
      resources()[logicalId(stack.api.functions.tickets.fn)]!.Properties.Environment.Variables;
    expect(refersTo(deadlineEnv.DEADLINE_DLQ_ARN, dlq)).toBe(false);
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const alarm = alarms.find((a) => refersTo(a.Dimensions, dlq))!;
    expect(alarm.AlarmDescription).toMatch(/monthly report run that could not be started/);
  });

  it('names only its role’s policy in each function’s DependsOn, not the role it reads the ARN of', () => {
    for (const f of Object.values(stack.functionsByName())) {
      const fn = resources()[logicalId(f.fn)]!;
      expect(fn.DependsOn, f.node.path).toEqual([logicalId(f.role.node.findChild('DefaultPolicy'))]);
      expect(refersTo(fn.Properties.Role, logicalId(f.role))).toBe(true);
    }
  });

  it('puts no placeholder domain anywhere: without -c domain the template asks for MailDomain', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/example\.(com|org|net)/);
    const parameter = template.toJSON().Parameters.MailDomain;
    expect(parameter).toMatchObject({ Type: 'String' });
    expect(parameter.Default).toBeUndefined();
    const pattern = new RegExp(parameter.AllowedPattern);
    for (const good of ['support.acme.com', 'a.io', 'help.xn--bcher-kva.de'])
      expect(pattern.test(good), good).toBe(true);
    for (const bad of [
      '',
      'acme',
      'Support.Acme.com',
      'a..b.com',
      '-a.com',
      'a.com.',
      `${'a'.repeat(64)}.com`,
      'a b.com',
    ]) {
      expect(pattern.test(bad), bad).toBe(false);
    }
    const [[, identity]] = ofType('AWS::SES::EmailIdentity') as [[string, Resource]];
    expect(identity.Properties.EmailIdentity).toEqual({ Ref: 'MailDomain' });
    const [[, rule]] = ofType('AWS::SES::ReceiptRule') as [[string, Resource]];
    expect(rule.Properties.Rule.Recipients).toEqual([
      { 'Fn::Join': ['', ['support@', { Ref: 'MailDomain' }]] },
    ]);
    // DNS records to publish, as outputs.
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining(['DkimRecord1', 'DkimRecord2', 'DkimRecord3', 'MxRecord', 'ReceiptRuleSetName']),
    );
  });

  it('lets mail-sending functions reach verified recipients in the SES sandbox, as the desk’s sender only', () => {
    for (const f of [stack.api.functions.tickets, stack.inbound.function, stack.reports.function]) {
      const sandbox = statementsOf(logicalId(f.role)).filter(
        (s) => actions(s).includes('ses:SendEmail') && JSON.stringify(s.Resource).includes(':identity/*'),
      ) as (Statement & { Condition?: unknown })[];
      expect(sandbox, f.node.path).toHaveLength(1);
      expect(sandbox[0]!.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': { 'Fn::Join': ['', ['support@', { Ref: 'MailDomain' }]] } },
      });
    }
  });

  it('refuses at synth a region where SES does not receive mail; an agnostic template checks it at deploy', () => {
    expect(() => buildApp(noBundling(), { region: 'sa-east-1', account: '111122223333' })).toThrow(
      /sa-east-1: SES receives mail only in us-east-1, .*eu-west-1/,
    );
    expect(() =>
      buildApp(noBundling({ sesReceivingRegions: 'sa-east-1' }), { region: 'sa-east-1' }),
    ).not.toThrow();
    const rule = template.toJSON().Rules.SesReceivingRegion.Assertions[0];
    expect(rule.Assert['Fn::Contains'][1]).toEqual({ Ref: 'AWS::Region' });
    expect(rule.Assert['Fn::Contains'][0]).toEqual(
      expect.arrayContaining(['us-east-1', 'eu-west-1', 'eu-central-1']),
    );
    expect(rule.AssertDescription).toMatch(/SES receives mail only in/);
  });

  it('refuses a runtime or a flag it does not know', () => {
    expect(() => buildApp(noBundling({ nodeRuntime: 'nodejs18.x' }))).toThrow(
      /nodeRuntime must be one of nodejs22.x, nodejs24.x, not "nodejs18.x"/,
    );
    expect(() => buildApp(noBundling({ activateRuleSet: 'yes' }))).toThrow(
      /activateRuleSet must be true or false/,
    );
  });

  it('with -c domain, -c nodeRuntime=nodejs24.x and -c activateRuleSet=false, in a receiving region', () => {
    const { stack: s } = buildApp(
      noBundling({ domain: 'support.acme.com', nodeRuntime: 'nodejs24.x', activateRuleSet: 'false' }),
      { region: 'eu-west-1', account: '111122223333' },
    );
    const t = Template.fromStack(s).toJSON();
    expect(t.Parameters?.MailDomain).toBeUndefined();
    expect(Object.keys(t.Rules)).toEqual(['CheckBootstrapVersion']); // the region was checked at synth
    const all = Object.values(t.Resources) as Resource[];
    expect(all.find((r) => r.Type === 'AWS::SES::EmailIdentity')!.Properties.EmailIdentity).toBe(
      'support.acme.com',
    );
    const ours = all.filter(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith('sla-desk'),
    );
    expect(ours).toHaveLength(21); // no activation function
    for (const f of ours) expect(f.Properties.Runtime).toBe('nodejs24.x');
    expect(all.filter((r) => r.Type === 'Custom::ActiveReceiptRuleSet')).toEqual([]);
    expect(t.Outputs.ReceiptRuleSetName.Description).toContain(
      'aws ses set-active-receipt-rule-set --rule-set-name SlaDesk-inbound',
    );
    expect(t.Outputs.MxRecord.Value).toBe('support.acme.com MX 10 inbound-smtp.eu-west-1.amazonaws.com');
  });
});
