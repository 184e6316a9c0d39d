// The local runtime's and the tests' adapters: DynamoDB Local for every store, schedules and
// jobs in DynamoDB Local, mail to the outbox, blobs in DATA_DIR (or memory), Slack recorded
// (or the real workspace when SLACK_BOT_TOKEN is set), secrets from the environment.

import { publish } from '../../app/outbound';
import { reportUnit, UNIT_ATTEMPTS } from '../../app/reports';
import type { Config } from '../../config';
import type { Clock, Deps } from '../../ports';
import { buildStores } from '../../wiring';
import { documentClient } from '../aws/dynamodb';
import { DynamoInboundStore } from '../aws/inbound-store';
import { DynamoIncidentStore } from '../aws/incident-store';
import { DynamoIntegrationStore } from '../aws/integration-store';
import { DynamoPartners } from '../aws/partners';
import { DynamoReportStore } from '../aws/report-store';
import { DynamoSharedTickets } from '../aws/shared-tickets';
import { SlackChat } from '../slack-chat';
import { LocalBlobStore } from './blobs';
import { RecordingChat } from './chat';
import { LocalJobQueue } from './jobs';
import { LocalOutbox } from './outbox';
import { publishing } from './publishing-tickets';
import { InProcessReportQueue } from './report-queue';
import { LocalScheduler } from './scheduler';

export function buildLocalDeps(
  clock: Clock,
  cfg: Config,
  options: {
    outboxDir?: string | null;
    blobDir?: string | null;
    /** Publish after the request rather than before the write returns (the runtime, as on AWS). */
    publishInBackground?: boolean;
  } = {},
): Deps {
  const db = documentClient(cfg);
  const secrets: Record<string, string | undefined> = {
    'slack-signing-secret': cfg.SLACK_SIGNING_SECRET,
    'slack-bot-token': cfg.SLACK_BOT_TOKEN,
  };
  const blobs = new LocalBlobStore(options.blobDir ?? null);
  const deps = buildStores(cfg, {
    clock,
    blobs,
    inbound: new DynamoInboundStore(db, cfg.INBOUND_TABLE),
    incidents: new DynamoIncidentStore(db, cfg.INCIDENTS_TABLE),
    reports: new DynamoReportStore(db, cfg.REPORTS_TABLE, blobs),
    scheduler: new LocalScheduler(db, cfg.SCHEDULES_TABLE),
    mailer: new LocalOutbox(clock, cfg.SENDER_EMAIL, options.outboxDir ?? null),
    jobs: new LocalJobQueue(db, cfg.SCHEDULES_TABLE, clock),
    integrations: new DynamoIntegrationStore(db, cfg.INTEGRATIONS_TABLE),
    shared: new DynamoSharedTickets(db, cfg.DIRECTORY_TABLE),
    partners: new DynamoPartners(db, cfg.DIRECTORY_TABLE),
    reportQueue: new InProcessReportQueue((unit, last) => reportUnit(deps, unit, last), UNIT_ATTEMPTS),
    secrets: { get: async (name) => secrets[name] ?? null },
    chat: cfg.SLACK_BOT_TOKEN
      ? new SlackChat(async () => cfg.SLACK_BOT_TOKEN ?? null)
      : new RecordingChat(() => clock.now()),
  });
  deps.tickets = publishing(
    deps.tickets,
    (ticket, entries) => publish(deps, ticket, entries),
    options.publishInBackground ?? false,
  );
  return deps;
}
