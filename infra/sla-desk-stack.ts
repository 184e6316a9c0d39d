// The whole product in one stack: tables, the HTTP API, deadline events and escalation,
// inbound mail, monthly reports, alarms. Each function gets exactly the access it needs.
import { CustomResource, Duration, Stack, type StackProps, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as cr from 'aws-cdk-lib/custom-resources';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { parseSender } from '../domain/sender';
import { Alarms } from './constructs/alarms';
import { DeadlineScheduler } from './constructs/deadline-scheduler';
import { InboundMail } from './constructs/inbound-mail';
import { Integrations } from './constructs/integrations';
import { LiveConsole } from './constructs/live-console';
import { MonthlyReports } from './constructs/monthly-reports';
import { Paging } from './constructs/paging';
import { requireReceivingRegion, settingsOf } from './constructs/settings';
import { HOLIDAY_DATA, SlaFunction } from './constructs/sla-function';
import { StaffSignIn } from './constructs/staff-sign-in';
import { Tables } from './constructs/tables';
import { apiPrefixes, TicketApi } from './constructs/ticket-api';
import { TicketSearch } from './constructs/ticket-search';
import { WebSite } from './constructs/web-site';
import { acknowledge } from './nag';

export class SlaDeskStack extends Stack {
  readonly tables: Tables;
  readonly api: TicketApi;
  readonly deadlines: DeadlineScheduler;
  readonly inbound: InboundMail;
  readonly reports: MonthlyReports;
  readonly search: TicketSearch;
  readonly seed: SlaFunction;
  readonly web: WebSite;
  readonly staffSignIn: StaffSignIn;
  readonly integrations: Integrations;
  readonly paging: Paging;
  readonly live: LiveConsole;

  /** Every function of the stack, by name. */
  functionsByName(): Record<string, SlaFunction> {
    return {
      ...Object.fromEntries(Object.entries(this.api.functions).map(([k, v]) => [`Api${k}`, v])),
      Escalation: this.deadlines.escalation,
      Sweeper: this.deadlines.sweeper,
      InboundMail: this.inbound.function,
      MonthlyReports: this.reports.function,
      IntegrationsWorker: this.integrations.worker,
      IntegrationsPublisher: this.integrations.publisher,
      SearchIndexer: this.search.indexer,
      LiveConnections: this.live.connections,
      Seed: this.seed,
      ...(this.inbound.activation ? { RuleSetActivation: this.inbound.activation } : {}),
    };
  }

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Access logs are delivered by bucket policy, not by the log-delivery ACL (buckets own their objects).
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const settings = settingsOf(this);
    requireReceivingRegion(this, settings.receivingRegions);
    this.tables = new Tables(this, 'Tables');
    const base = {
      ...this.tables.environment(),
      SENDER_EMAIL: settings.senderEmail,
      ESCALATION_EMAIL: settings.escalationEmail,
      TEAM_EMAIL: settings.teamEmail,
      MAIL_DOMAIN: settings.domain,
      REPORT_TIME_ZONE: settings.reportTimeZone,
    };

    this.deadlines = new DeadlineScheduler(this, 'DeadlineScheduler', { environment: base });
    this.inbound = new InboundMail(this, 'InboundMail', {
      environment: { ...base, ...this.deadlines.environment() },
      recipients: settings.supportRecipients,
      senderDomain: settings.domain,
      activate: settings.activateRuleSet,
    });
    const environment = {
      ...base,
      ...this.deadlines.environment(),
      MAIL_BUCKET: this.inbound.bucket.bucketName,
      SES_CONFIGURATION_SET: this.inbound.configurationSet.configurationSetName,
    };
    // They schedule escalation steps; the escalation function targets itself by the ARN it is
    // invoked by (its own ARN in its environment would be a cycle).
    const { ESCALATION_FUNCTION_ARN, ...scheduling } = this.deadlines.environment();
    for (const fn of [this.deadlines.escalation, this.deadlines.sweeper]) {
      for (const [k, v] of Object.entries({
        MAIL_BUCKET: environment.MAIL_BUCKET,
        SES_CONFIGURATION_SET: environment.SES_CONFIGURATION_SET,
        ...scheduling,
      })) {
        fn.fn.addEnvironment(k, v);
      }
    }
    this.deadlines.sweeper.fn.addEnvironment('ESCALATION_FUNCTION_ARN', ESCALATION_FUNCTION_ARN!);
    this.integrations = new Integrations(this, 'Integrations', {
      environment,
      tickets: this.tables.byName.tickets,
    });
    this.live = new LiveConsole(this, 'LiveConsole', { environment: base });
    this.paging = new Paging(this, 'Paging', {
      slackBotToken: this.integrations.botToken,
      smsOrigination: settings.smsOrigination,
    });
    this.api = new TicketApi(this, 'TicketApi', { environment, corsOrigin: settings.corsOrigin });
    for (const [k, v] of Object.entries(this.integrations.environment()))
      this.api.functions.integrations.fn.addEnvironment(k, v);
    this.api.functions.connections.fn.addEnvironment('JOBS_QUEUE_URL', this.integrations.queue.queueUrl);
    this.reports = new MonthlyReports(this, 'MonthlyReports', {
      environment,
      timeZone: settings.reportTimeZone,
    });

    // Least privilege, function by function.
    const t = this.tables.byName;
    const f = this.api.functions;
    const sendsMail = [
      f.tickets,
      f.workbench,
      f.directory,
      f.staff,
      f.operations,
      f.auth,
      f.integrations,
      this.integrations.worker,
      this.integrations.publisher,
      this.deadlines.escalation,
      this.deadlines.sweeper,
      this.inbound.function,
      this.reports.function,
    ];
    for (const fn of sendsMail) this.grantSendMail(fn, settings.domain, settings.senderEmail);
    // Whoever checks a key records its use (lastUsedAt, once a minute): that attribute of key items
    // only. The alerts, Slack and OpenAPI routes check no API key.
    const checksKeys = Object.entries(f).filter(([group]) => !['integrations', 'openapi'].includes(group));
    for (const [, fn] of checksKeys) this.grantKeyUse(fn);
    // Tickets: read/write tickets, read the directory, create deadline schedules, send mail.
    t.tickets.grantReadWriteData(f.tickets.fn);
    t.directory.grantReadData(f.tickets.fn);
    this.grantObjects(f.tickets, 'uploads/', 'read'); // a new ticket or message checks its uploads
    // Presigned uploads and downloads are signed with the files function's own rights.
    t.tickets.grantReadData(f.files.fn);
    t.directory.grantReadData(f.files.fn);
    this.grantObjects(f.files, 'uploads/', 'write');
    this.grantObjects(f.files, 'attachments/', 'read');
    this.deadlines.grantScheduling(f.tickets);
    // Monitoring alerts: open tickets (schedules, mail) and incidents; read the directory.
    t.tickets.grantReadWriteData(f.integrations.fn);
    t.directory.grantReadData(f.integrations.fn);
    t.incidents.grantReadWriteData(f.integrations.fn);
    this.deadlines.grantScheduling(f.integrations);
    // Slack events: the signing secret to verify them, the queue to file them after the answer.
    this.integrations.queue.grantSendMessages(f.integrations.fn);
    this.integrations.signingSecret.grantRead(f.integrations.fn);
    // Webhooks, channel links, failed deliveries: the integrations table; redelivery queues.
    t.integrations.grantReadWriteData(f.connections.fn);
    t.directory.grantReadData(f.connections.fn);
    this.integrations.queue.grantSendMessages(f.connections.fn);
    // The worker: deliveries, and Slack events filed as tickets (schedules, mail).
    const { worker, publisher } = this.integrations;
    t.tickets.grantReadWriteData(worker.fn);
    t.directory.grantReadData(worker.fn);
    t.integrations.grantReadWriteData(worker.fn);
    this.deadlines.grantScheduling(worker);
    // The publisher: sends the mail a write queued and marks it sent (off the request path);
    // reads the ticket and its plan, stores deliveries, queues them; notifies the people on it.
    t.tickets.grantReadWriteData(publisher.fn);
    // It makes the notifications of what was stored: kept in the directory, mailed or paged.
    t.directory.grantReadWriteData(publisher.fn);
    t.integrations.grantReadWriteData(publisher.fn);
    // Sign-in: links, sessions and attempt counts live in the directory; links go out by mail.
    t.directory.grantReadWriteData(f.auth.fn);
    // Staff: people, teams, keys (revoked with a person) and their sessions; invitations by mail.
    t.directory.grantReadWriteData(f.staff.fn);
    // Directory and plan creation: the directory; tickets read to share them and written to
    // route them to an onsite partner (its mail; the write may move deadline events).
    t.directory.grantReadWriteData(f.directory.fn);
    t.tickets.grantReadWriteData(f.directory.fn);
    this.deadlines.grantScheduling(f.directory);
    t.directory.grantReadWriteData(f.plans.fn);
    // Operations: incidents, quarantine (read), reports (build and store; runs queued), ticket reads.
    f.operations.fn.addEnvironment('REPORTS_QUEUE_URL', this.reports.queue.queueUrl);
    this.reports.queue.grantSendMessages(f.operations.fn);
    t.incidents.grantReadWriteData(f.operations.fn);
    t.inbound.grantReadData(f.operations.fn);
    t.reports.grantReadWriteData(f.operations.fn);
    t.tickets.grantReadData(f.operations.fn);
    t.directory.grantReadData(f.operations.fn);
    this.grantObjects(f.operations, 'reports/', 'write');
    // Escalation and sweeper: tickets and the directory (teams' on-call); they schedule the
    // escalation steps a breach begins.
    for (const fn of [this.deadlines.escalation, this.deadlines.sweeper]) {
      t.tickets.grantReadWriteData(fn.fn);
      t.directory.grantReadData(fn.fn);
      this.deadlines.grantScheduling(fn);
    }
    // Whoever writes a ticket may page (a breach, a P1 on a 24/7 level, the key-word in a mail).
    const writesTickets = [
      f.tickets,
      f.workbench,
      f.directory,
      f.integrations,
      this.integrations.worker,
      this.deadlines.escalation,
      this.deadlines.sweeper,
      this.inbound.function,
      publisher, // notifications a person chose to get as pages
    ];
    for (const fn of writesTickets) this.paging.grantPaging(fn);
    this.paging.grantWebhook(f.integrations);
    // The live console: the publisher tells consoles of stored writes, the staff API of presences
    // and hands out the tokens (directory); the connections function keeps connections (directory).
    this.live.grantPublish(publisher);
    this.live.grantPublish(f.staff);
    t.directory.grantReadWriteData(this.live.connections.fn);
    for (const [k, v] of Object.entries(this.live.environment()))
      this.live.connections.fn.addEnvironment(k, v);
    // Inbound mail: reads raw mail, writes attachments and quarantine, opens tickets.
    t.tickets.grantReadWriteData(this.inbound.function.fn);
    t.directory.grantReadData(this.inbound.function.fn);
    t.inbound.grantReadWriteData(this.inbound.function.fn);
    this.grantObjects(this.inbound.function, 'inbound/', 'read');
    this.grantObjects(this.inbound.function, 'attachments/', 'write');
    this.grantObjects(this.inbound.function, 'quarantine/', 'write');
    this.deadlines.grantScheduling(this.inbound.function);
    // Reports: read tickets, incidents and the directory; write reports only.
    t.tickets.grantReadData(this.reports.function.fn);
    t.incidents.grantReadData(this.reports.function.fn);
    t.directory.grantReadData(this.reports.function.fn);
    t.reports.grantReadWriteData(this.reports.function.fn);
    this.grantObjects(this.reports.function, 'reports/', 'write');

    // Search: the indexer writes the index in the bucket from the stream; the search function
    // reads it, with the tickets and the views it counts. The workbench writes tickets as the
    // tickets function does (bulk changes, macros), views and macros in the directory.
    this.search = new TicketSearch(this, 'Search', { tickets: t.tickets, environment });
    t.tickets.grantReadData(this.search.indexer.fn);
    t.directory.grantReadData(this.search.indexer.fn);
    this.grantObjects(this.search.indexer, 'search/', 'index');
    t.tickets.grantReadData(f.search.fn);
    t.directory.grantReadData(f.search.fn);
    this.grantObjects(f.search, 'search/', 'read');
    t.tickets.grantReadWriteData(f.workbench.fn);
    t.directory.grantReadWriteData(f.workbench.fn);
    this.deadlines.grantScheduling(f.workbench);

    // The pages, and the API beside them on one origin.
    this.web = new WebSite(this, 'Web', {
      api: this.api.api,
      apiPrefixes: apiPrefixes(),
      uploadBucket: this.inbound.bucket,
      accessLogs: this.inbound.accessLogs,
      embedOrigins: settings.embedOrigins,
      domain: settings.webDomain,
    });
    // Browsers POST attachments to the bucket with presigned forms: the form is the permission.
    this.inbound.bucket.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST],
      allowedOrigins: ['*'],
      allowedHeaders: ['*'],
      maxAge: 3600,
    });
    // Sign-in links point at the portal, and so do a monthly report's missed deadlines (built by
    // the report function, rebuilt by the operations function when a stored one is lost) and the
    // answer to a refused mail (the web form it points to).
    for (const fn of [
      f.auth.fn,
      f.staff.fn,
      this.reports.function.fn,
      f.operations.fn,
      this.inbound.function.fn,
    ]) {
      fn.addEnvironment('PORTAL_URL', this.web.url);
    }
    // Staff single sign-on: your provider's settings, or a Cognito user pool of the stack's own.
    this.staffSignIn = new StaffSignIn(this, 'StaffSignIn', { sso: settings.sso, portalUrl: this.web.url });
    this.staffSignIn.configure(f.auth);
    f.auth.fn.addEnvironment('EDGE_SECRET_ARN', this.web.edgeSecret.secretArn);
    this.web.edgeSecret.grantRead(f.auth.fn);

    // Presets and the first admin key, on every deploy.
    const adminKey = new secrets.Secret(this, 'AdminApiKey', {
      description: 'sla-desk: the first admin API key (Authorization: Bearer <this value>)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    this.seed = new SlaFunction(this, 'Seed', {
      entry: 'seed/handler.ts',
      description: 'sla-desk: stores the preset plans, the first admin and their key',
      environment: { ...environment, ADMIN_EMAIL: settings.adminEmail },
      timeout: Duration.minutes(2),
      beside: [HOLIDAY_DATA],
    });
    t.directory.grantReadWriteData(this.seed.fn);
    adminKey.grantRead(this.seed.fn);
    const provider = new cr.Provider(this, 'SeedProvider', { onEventHandler: this.seed.fn });
    new CustomResource(this, 'SeedData', {
      serviceToken: provider.serviceToken,
      properties: { AdminKeySecretArn: adminKey.secretArn, Version: '1' },
    });

    // Every function but the deploy-time ones, whose failure fails the deploy itself.
    const { Seed: _seed, RuleSetActivation: _activation, ...watched } = this.functionsByName();
    const alarms = new Alarms(this, 'Alarms', {
      functions: watched,
      deadLetters: {
        ReportRunDeadLetters: {
          queue: this.reports.scheduleDeadLetters,
          what: 'a monthly report run that could not be started (its schedule failed to invoke the report function)',
        },
        ReportUnitDeadLetters: {
          queue: this.reports.deadLetters,
          what: 'monthly report units (a customer each) that failed three times',
        },
        DeadLetters: {
          queue: this.deadlines.deadLetters,
          what: 'deadline events that could not be delivered',
        },
        JobDeadLetters: {
          queue: this.integrations.deadLetters,
          what: 'jobs or stream batches that kept failing (deliveries, Slack events)',
        },
      },
      api: this.api.api,
      email: settings.alarmEmail,
      breachesPerHour: settings.breachAlarmPerHour,
    });
    // Bounces and complaints of outbound mail go to the same topic as the alarms.
    alarms.allowPublisher('ses.amazonaws.com');
    this.inbound.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(alarms.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT],
    });
    acknowledge(this, {
      liveApi: this.live.api,
      adminKey,
      tickets: t.tickets,
      integrations: t.integrations,
      mailBucket: this.inbound.bucket,
      scheduleGroup: this.deadlines.group.name!,
      providerInvoked: [this.seed.fn, ...(this.inbound.activation ? [this.inbound.activation.fn] : [])],
    });
  }

  /** Get (and Put) of objects under one prefix of the mail bucket: no listing, no deletes. */
  private grantObjects(fn: SlaFunction, prefix: string, access: 'read' | 'write' | 'index'): void {
    const actions = {
      read: ['s3:GetObject'],
      write: ['s3:GetObject', 's3:PutObject'],
      // The search index's writer also removes the segments and snapshots it folded.
      index: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    }[access];
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions,
        resources: [this.inbound.bucket.arnForObjects(`${prefix}*`)],
      }),
    );
  }

  /** UpdateItem of an API key's item (KEY#…), its lastUsedAt and nothing else. */
  private grantKeyUse(fn: SlaFunction): void {
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [this.tables.byName.directory.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['KEY#*'] },
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      }),
    );
  }

  /**
   * SendEmail as the domain through the configuration set; and, while the account is in the SES
   * sandbox, to the verified recipient identities SES then also checks, only as our sender.
   */
  private grantSendMail(fn: SlaFunction, domain: string, senderEmail: string): void {
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          this.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.inbound.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
        conditions: { StringEquals: { 'ses:FromAddress': addressOf(senderEmail) } },
      }),
    );
  }
}

/**
 * `support@x` of `Support <support@x>`: what SES compares ses:FromAddress with (one with the
 * deploy's MailDomain parameter in it is taken from between the angle brackets).
 */
const addressOf = (sender: string) =>
  Token.isUnresolved(sender) ? (/<([^>]+)>\s*$/.exec(sender)?.[1] ?? sender) : parseSender(sender).address;
