// Wiring, once per cold start: the adapters every handler uses, from the environment.
// The local runtime and the tests swap parts (a virtual clock) with setDeps before use.

import { DynamoDirectory } from './adapters/aws/directory';
import { documentClient } from './adapters/aws/dynamodb';
import { DynamoIncidentStore } from './adapters/aws/incident-store';
import { DynamoReportStore } from './adapters/aws/report-store';
import { DynamoTicketStore } from './adapters/aws/ticket-store';
import { type Config, config } from './config';
import type { Clock, Deps } from './ports';

export const systemClock: Clock = { now: () => Date.now() };

let wired: Deps | undefined;

export function deps(): Deps {
  wired ??= buildDeps();
  return wired;
}

export function buildDeps(clock: Clock = systemClock, cfg: Config = config()): Deps {
  const db = documentClient(cfg);
  return {
    tickets: new DynamoTicketStore(db, cfg.TICKETS_TABLE),
    directory: new DynamoDirectory(db, cfg.DIRECTORY_TABLE),
    incidents: new DynamoIncidentStore(db, cfg.INCIDENTS_TABLE),
    reports: new DynamoReportStore(db, cfg.REPORTS_TABLE),
    clock,
  };
}

/** Replaces the wired dependencies (local runtime, tests). */
export function setDeps(replacement: Deps): void {
  wired = replacement;
}
