// Incidents in DynamoDB, each with a copy under every month it touches (and under OPEN while
// it has no end), so a monthly report reads one partition per month. Writes are conditional
// on the incident's version and rewrite the month copies in the same transaction.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AlertState } from '../../../domain/alerts';
import { Duplicate, VersionConflict } from '../../../domain/errors';
import { localMonth, monthAfter } from '../../../domain/zone';
import type { Config } from '../../config';
import type { IncidentRecord, IncidentStore } from '../../ports';
import { cancellationReasons, putAtVersion, putNew, queryAll, withoutKeys } from './dynamodb';

const incidentPk = (id: string) => `INCIDENT#${id}`;

/** The partitions an incident is listed under: MONTH#yyyy-mm (UTC) for each month it touches, OPEN while open. */
export function incidentPartitions(incident: IncidentRecord): string[] {
  const last = localMonth('UTC', Date.parse(incident.endedAt ?? incident.startedAt));
  const out: string[] = [];
  for (let m = localMonth('UTC', Date.parse(incident.startedAt)); m <= last; m = monthAfter(m))
    out.push(`MONTH#${m}`);
  if (incident.endedAt === null) out.push('OPEN');
  return out;
}

export class DynamoIncidentStore implements IncidentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(incident: IncidentRecord): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table, { pk: incidentPk(incident.id), sk: 'INCIDENT', ...incident }),
            ...this.copies(incident),
          ],
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)) throw new Duplicate('incident', 'id', incident.id);
      throw error;
    }
  }

  async get(id: string): Promise<IncidentRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: incidentPk(id), sk: 'INCIDENT' },
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<IncidentRecord>(Item) : null;
  }

  async update(incident: IncidentRecord, expectedVersion: number): Promise<void> {
    const before = await this.get(incident.id);
    if (!before) throw new VersionConflict('incident', incident.id, expectedVersion);
    const keep = new Set(incidentPartitions(incident));
    const stale = incidentPartitions(before)
      .filter((pk) => !keep.has(pk))
      .map((pk) => ({ Delete: { TableName: this.table, Key: { pk, sk: incidentPk(incident.id) } } }));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            putAtVersion(
              this.table,
              { pk: incidentPk(incident.id), sk: 'INCIDENT', ...incident },
              expectedVersion,
            ),
            ...this.copies(incident),
            ...stale,
          ],
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)) throw new VersionConflict('incident', incident.id, expectedVersion);
      throw error;
    }
  }

  async touching(utcMonth: string): Promise<IncidentRecord[]> {
    const byId = new Map<string, IncidentRecord>();
    for (const pk of [`MONTH#${utcMonth}`, 'OPEN']) {
      for (const item of await queryAll(this.db, this.table, pk))
        byId.set(item.id as string, withoutKeys<IncidentRecord>(item));
    }
    return [...byId.values()];
  }

  private copies(incident: IncidentRecord) {
    return incidentPartitions(incident).map((pk) => ({
      Put: { TableName: this.table, Item: { pk, sk: incidentPk(incident.id), ...incident } },
    }));
  }

  async getAlert(customerId: string, key: string): Promise<(AlertState & { version: number }) | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: alertKey(customerId, key), ConsistentRead: true }),
    );
    if (!Item) return null;
    const { ticketId, firings, startlessEnds, startsAt, status, version } = Item;
    if (Array.isArray(firings))
      return {
        ticketId: ticketId ?? null,
        firings,
        startlessEnds: startlessEnds ?? [],
        version,
      } as AlertState & {
        version: number;
      };
    // Stored before firings were kept: the one firing it knew, ended if it had resolved (its
    // incident holds when).
    const firing = {
      startsAt,
      endsAt: status === 'resolved' ? startsAt : null,
      endedBy: status === 'resolved' ? 'resolve' : null,
    };
    return { ticketId, firings: [firing], version } as AlertState & { version: number };
  }

  async putAlert(customerId: string, key: string, state: AlertState, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...alertKey(customerId, key), ...state, version: expectedVersion + 1 },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': expectedVersion },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new VersionConflict('alert', key, expectedVersion);
      }
      throw error;
    }
  }
}

const alertKey = (customerId: string, key: string) => ({ pk: `ALERT#${customerId}#${key}`, sk: 'ALERT' });

/** The store on the configured table (for addAdapters in the functions that use it). */
export const incidentStore = (db: DynamoDBDocumentClient, cfg: Config): IncidentStore =>
  new DynamoIncidentStore(db, cfg.INCIDENTS_TABLE);
