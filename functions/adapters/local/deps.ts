// The local runtime's and the tests' adapters: DynamoDB Local for every store, schedules and
// jobs in DynamoDB Local, mail to the outbox, blobs in DATA_DIR (or memory), Slack recorded
// (or the real workspace when SLACK_BOT_TOKEN is set), pages recorded, secrets from the environment.

import { fileURLToPath } from 'node:url';
import { publish } from '../../app/outbound';
import { reportUnit, UNIT_ATTEMPTS } from '../../app/report-units';
import { indexTickets } from '../../app/search';
import { type Config, config } from '../../config';
import type { Clock, Deps } from '../../ports';
import { buildStores } from '../../wiring';
import { documentClient } from '../aws/dynamodb';
import { inboundStore } from '../aws/inbound-store';
import { incidentStore } from '../aws/incident-store';
import { integrationStore } from '../aws/integration-store';
import { partnerStore } from '../aws/partners';
import { reportStore } from '../aws/report-store';
import { sharedTickets } from '../aws/shared-tickets';
import { holidayFiles } from '../holiday-files';
import { BlobSearch } from '../search/blob-search';
import { SlackChat } from '../slack-chat';
import { LocalBlobStore } from './blobs';
import { RecordingChat } from './chat';
import { LocalJobQueue } from './jobs';
import { LocalLive } from './live';
import { LocalOutbox } from './outbox';
import { RecordingPager } from './pager';
import { publishing } from './publishing-tickets';
import { InProcessReportQueue } from './report-queue';
import { LocalScheduler } from './scheduler';

/** The tables in the source tree, as npm run build:holidays writes them. */
export const LOCAL_HOLIDAY_DATA = fileURLToPath(new URL('../../holiday-data/', import.meta.url));

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
  // Read when asked: the runtime points single sign-on at its own provider after wiring.
  const secrets = (): Record<string, string | undefined> => ({
    'slack-signing-secret': config().SLACK_SIGNING_SECRET,
    'slack-bot-token': config().SLACK_BOT_TOKEN,
    'oidc-client-secret': config().OIDC_CLIENT_SECRET,
    'opsgenie-api-key': config().OPSGENIE_API_KEY,
    'pagerduty-webhook-secret': config().PAGERDUTY_WEBHOOK_SECRET,
    'opsgenie-webhook-token': config().OPSGENIE_WEBHOOK_TOKEN,
  });
  const blobs = new LocalBlobStore(options.blobDir ?? null);
  const deps = buildStores(cfg, db, {
    clock,
    blobs,
    inbound: inboundStore(db, cfg),
    incidents: incidentStore(db, cfg),
    reports: reportStore(db, cfg, blobs),
    search: new BlobSearch(blobs, () => clock.now()),
    scheduler: new LocalScheduler(db, cfg.SCHEDULES_TABLE),
    mailer: new LocalOutbox(clock, cfg.SENDER_EMAIL, options.outboxDir ?? null),
    jobs: new LocalJobQueue(db, cfg.SCHEDULES_TABLE, clock),
    integrations: integrationStore(db, cfg),
    shared: sharedTickets(db, cfg),
    partners: partnerStore(db, cfg),
    holidays: holidayFiles(() => LOCAL_HOLIDAY_DATA),
    reportQueue: new InProcessReportQueue((unit, last) => reportUnit(deps, unit, last), UNIT_ATTEMPTS),
    secrets: { get: async (name) => secrets()[name] ?? null },
    pager: new RecordingPager(() => clock.now()),
    live: new LocalLive(),
    chat: cfg.SLACK_BOT_TOKEN
      ? new SlackChat(async () => cfg.SLACK_BOT_TOKEN ?? null)
      : new RecordingChat(() => clock.now()),
  });
  // What the tickets' stream feeds on AWS: the publisher, and the search indexer.
  deps.tickets = publishing(
    deps.tickets,
    (ticket, entries) => Promise.all([publish(deps, ticket, entries), indexTickets(deps, [ticket.id])]),
    options.publishInBackground ?? false,
  );
  return deps;
}
