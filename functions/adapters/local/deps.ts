// The local runtime's and the tests' adapters: DynamoDB Local for every store, schedules in
// DynamoDB Local, mail to the outbox, blobs in DATA_DIR (or memory).

import type { Config } from '../../config';
import type { Clock, Deps } from '../../ports';
import { buildStores } from '../../wiring';
import { documentClient } from '../aws/dynamodb';
import { LocalBlobStore } from './blobs';
import { LocalOutbox } from './outbox';
import { LocalScheduler } from './scheduler';

export function buildLocalDeps(
  clock: Clock,
  cfg: Config,
  options: { outboxDir?: string | null; blobDir?: string | null } = {},
): Deps {
  return buildStores(cfg, {
    clock,
    blobs: new LocalBlobStore(options.blobDir ?? null),
    scheduler: new LocalScheduler(documentClient(cfg), cfg.SCHEDULES_TABLE),
    mailer: new LocalOutbox(clock, cfg.SENDER_EMAIL, options.outboxDir ?? null),
  });
}
