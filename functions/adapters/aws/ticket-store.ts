// Tickets in DynamoDB: the ticket item and its timeline share a partition (one Query reads
// both); every write is one TransactWriteItems conditional on the ticket's version, so a
// ticket and its timeline never disagree. Index keys are derived here, never by callers.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Duplicate, RuleViolation, VersionConflict } from '../../../domain/errors';
import { MAX_WATCHERS } from '../../../domain/notifications';
import { SHARDS, shardKey, shardOf } from '../../../domain/shards';
import type {
  IdempotencyClaim,
  NewTimelineEntry,
  Page,
  TicketQuery,
  TicketRecord,
  TicketStore,
  TimelineEntry,
} from '../../ports';
import {
  BadCursor,
  cancellationReasons,
  decodeCursor,
  encodeCursor,
  isBadStartKey,
  putAtVersion,
  putNew,
  queryAll,
  withoutKeys,
} from './dynamodb';

const TICKET_SK = 'TICKET';
const ticketPk = (id: string) => `TICKET#${id}`;
const entrySk = (seq: number) => `T#${String(seq).padStart(7, '0')}`;
const claimPk = (key: string) => `CLAIM#${key}`;
const leaseKey = (name: string) => ({ pk: `LEASE#${name}`, sk: 'LEASE' });
const epochSeconds = (at: string) => Math.floor(Date.parse(at) / 1000);

// Listing reads at most this many pages of an index to fill one page after filtering.
const MAX_QUERY_ROUNDS = 10;

const externalRefKey = (customerId: string, ref: string) => ({
  pk: `EXTREF#${customerId}#${ref}`,
  sk: 'EXTREF',
});

/** Another ticket of the customer has this externalRef already. */
export class ExternalRefTaken extends Error {
  constructor(readonly externalRef: string) {
    super(`externalRef ${externalRef} belongs to another ticket`);
    this.name = 'ExternalRefTaken';
  }
}

/** A write found the idempotency claim taken: the same request was (or is being) served. */
export class ClaimTaken extends Error {
  constructor(key: string) {
    super(`idempotency key ${key} is already claimed`);
    this.name = 'ClaimTaken';
  }
}

function ticketItem(t: TicketRecord): Record<string, unknown> {
  const createdKey = `${t.createdAt}#${t.id}`;
  return {
    pk: ticketPk(t.id),
    sk: TICKET_SK,
    ...t,
    customerKey: t.customerId,
    customerStatusKey: `${t.customerId}#${t.status}`,
    statusKey: t.status,
    allKey: TICKET_SK,
    createdKey,
    // Sparse: only tickets that need the sweeper's attention at some time are in the index.
    ...(t.attentionAt ? { attentionPartition: 'ATTENTION', attentionKey: `${t.attentionAt}#${t.id}` } : {}),
    // Sparse: only tickets with a running clock are in the queue, soonest due first.
    ...(t.nextBreachAt ? { deadlinePartition: 'DUE', deadlineKey: `${t.nextBreachAt}#${t.id}` } : {}),
  };
}

const INDEX_ATTRIBUTES = [
  'pk',
  'sk',
  'customerKey',
  'customerStatusKey',
  'statusKey',
  'allKey',
  'createdKey',
  'attentionPartition',
  'attentionKey',
  'deadlinePartition',
  'deadlineKey',
];

function fromItem(item: Record<string, unknown>): TicketRecord {
  const record = { ...item };
  for (const key of INDEX_ATTRIBUTES) delete record[key];
  return record as unknown as TicketRecord;
}

// Sparse: a mail entry is in the outbox index until it is marked sent (the sweeper's list).
const OUTBOX_ATTRIBUTES = ['outboxShard', 'outboxKey'];

function entryItem(ticketId: string, entry: NewTimelineEntry, seq: number): Record<string, unknown> {
  const unsent = entry.type === 'mail' && !entry.sentAt;
  return {
    pk: ticketPk(ticketId),
    sk: entrySk(seq),
    ...entry,
    seq,
    ...(unsent
      ? { outboxShard: shardKey('OUTBOX', shardOf(ticketId)), outboxKey: `${entry.at}#${ticketId}#${seq}` }
      : {}),
  };
}

/** A stored timeline item (a read or the stream's image) as the entry it holds. */
export function entryOf(item: Record<string, unknown>): TimelineEntry {
  const entry = withoutKeys<Record<string, unknown>>(item);
  for (const key of OUTBOX_ATTRIBUTES) delete entry[key];
  return entry as unknown as TimelineEntry;
}

function entryPuts(table: string, ticketId: string, firstSeq: number, entries: NewTimelineEntry[]) {
  return entries.map((entry, i) => putNew(table, entryItem(ticketId, entry, firstSeq + i)));
}

export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(ticket: TicketRecord, entries: NewTimelineEntry[], claim?: IdempotencyClaim): Promise<void> {
    const claimPut = claim
      ? [
          {
            Put: {
              TableName: this.table,
              Item: {
                pk: claimPk(claim.key),
                sk: 'CLAIM',
                ticketId: ticket.id,
                requestHash: claim.requestHash,
                expiresAtEpoch: epochSeconds(claim.expiresAt),
              },
              // An expired claim may linger until TTL deletes it; it no longer holds the key.
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAtEpoch <= :now',
              ExpressionAttributeValues: { ':now': epochSeconds(claim.claimedAt) },
            },
          },
        ]
      : [];
    // The client desk's id, once per customer, for as long as the ticket lives.
    const refPut = ticket.externalRef
      ? [
          {
            Put: {
              TableName: this.table,
              Item: { ...externalRefKey(ticket.customerId, ticket.externalRef), ticketId: ticket.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : [];
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...claimPut,
            ...refPut,
            {
              Put: {
                TableName: this.table,
                Item: ticketItem(ticket),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...entryPuts(this.table, ticket.id, 1, entries),
          ],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (claim && reasons[0] !== 'None') throw new ClaimTaken(claim.key);
      if (refPut.length && reasons[claimPut.length] !== 'None')
        throw new ExternalRefTaken(ticket.externalRef!);
      throw new Duplicate('ticket', 'id', ticket.id);
    }
  }

  async get(id: string): Promise<{ ticket: TicketRecord; timeline: TimelineEntry[] } | null> {
    const items = await queryAll(this.db, this.table, ticketPk(id), true);
    const ticketRow = items.find((i) => i.sk === TICKET_SK);
    if (!ticketRow) return null;
    const timeline = items
      .filter((i) => i.sk !== TICKET_SK)
      .map(entryOf)
      .sort((a, b) => a.seq - b.seq);
    return { ticket: fromItem(ticketRow), timeline };
  }

  async update(ticket: TicketRecord, expectedVersion: number, entries: NewTimelineEntry[]): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            putAtVersion(this.table, ticketItem(ticket), expectedVersion),
            ...entryPuts(this.table, ticket.id, ticket.timelineLength - entries.length + 1, entries),
          ],
        }),
      );
    } catch (error) {
      // Any cancellation means another writer got there first (a failed condition, or a
      // concurrent transaction on the same item): the caller re-reads and decides.
      if (cancellationReasons(error)) throw new VersionConflict('ticket', ticket.id, expectedVersion);
      throw error;
    }
  }

  async list(query: TicketQuery, limit: number, cursor?: string): Promise<Page<TicketRecord>> {
    const { index, key, value } = query.byDeadline
      ? { index: 'byDeadline', key: 'deadlinePartition', value: 'DUE' }
      : chooseIndex(query);
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':key': value };
    const names: Record<string, string> = {};
    // The deadline index has one partition: every other criterion filters it.
    if (query.byDeadline && query.customerId) {
      filters.push('customerId = :customer');
      values[':customer'] = query.customerId;
    }
    if (query.byDeadline && query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.assignee) {
      filters.push('assignee = :assignee');
      values[':assignee'] = query.assignee;
    }
    if (query.teamId) {
      filters.push('teamId = :team');
      values[':team'] = query.teamId;
    }
    if (query.priority) {
      filters.push('#priority = :priority');
      names['#priority'] = 'priority';
      values[':priority'] = query.priority;
    }
    if (query.breachedAt) {
      filters.push('(breached = :true OR nextBreachAt < :now)');
      values[':true'] = true;
      values[':now'] = query.breachedAt;
    }
    const items: TicketRecord[] = [];
    let start = decodeCursor(index, cursor) as Record<string, unknown> | undefined;
    for (let round = 0; round < MAX_QUERY_ROUNDS && items.length < limit; round++) {
      const page = await this.db
        .send(
          new QueryCommand({
            TableName: this.table,
            IndexName: index,
            KeyConditionExpression: `${key} = :key`,
            ExpressionAttributeValues: values,
            ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
            ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
            ScanIndexForward: Boolean(query.byDeadline), // soonest due first, else newest first
            Limit: limit - items.length,
            ExclusiveStartKey: start,
          }),
        )
        .catch((error) => {
          throw isBadStartKey(error) ? new BadCursor() : error;
        });
      items.push(...(page.Items ?? []).map(fromItem));
      start = page.LastEvaluatedKey;
      if (!start) break;
    }
    return { items, nextCursor: encodeCursor(index, start) };
  }

  async listCreated(
    customerId: string,
    from: string,
    to: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<TicketRecord>> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customerKey = :c AND createdKey BETWEEN :from AND :to',
        // createdKey is `<createdAt>#<id>`: '#' sorts before any id, so `<to>#` ends before `to`.
        ExpressionAttributeValues: { ':c': customerId, ':from': from, ':to': `${to}#` },
        Limit: limit,
        ExclusiveStartKey: decodeCursor('byCustomer', cursor),
      }),
    );
    return {
      items: (page.Items ?? []).map(fromItem),
      nextCursor: encodeCursor('byCustomer', page.LastEvaluatedKey),
    };
  }

  async needingAttention(now: string, limit: number): Promise<string[]> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byAttention',
        KeyConditionExpression: 'attentionPartition = :p AND attentionKey <= :upTo',
        ExpressionAttributeValues: { ':p': 'ATTENTION', ':upTo': `${now}#~` },
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) => i.id as string);
  }

  async markMailSent(ticketId: string, seq: number, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: ticketPk(ticketId), sk: entrySk(seq) },
          UpdateExpression: `SET sentAt = :at REMOVE ${OUTBOX_ATTRIBUTES.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #type = :mail AND attribute_not_exists(sentAt)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':at': at, ':mail': 'mail' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async unsentMail(before: string, limit: number): Promise<{ ticketId: string; seq: number }[]> {
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byOutbox',
            KeyConditionExpression: 'outboxShard = :p AND outboxKey <= :upTo',
            ExpressionAttributeValues: { ':p': shardKey('OUTBOX', shard), ':upTo': `${before}#~` },
            ProjectionExpression: 'pk, seq, outboxKey',
            Limit: limit,
          }),
        ),
      ),
    );
    return shards
      .flatMap((page) => page.Items ?? [])
      .sort((a, b) => (a.outboxKey < b.outboxKey ? -1 : a.outboxKey > b.outboxKey ? 1 : 0))
      .slice(0, limit)
      .map((i) => ({ ticketId: String(i.pk).slice('TICKET#'.length), seq: i.seq as number }));
  }

  async takeLease(name: string, holder: string, now: string, until: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...leaseKey(name), holder, until, expiresAtEpoch: epochSeconds(until) + 1 },
          ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: leaseKey(name),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      )
      .catch((error) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error; // it ran out and was taken
      });
  }

  async watch(ticketId: string, staffId: string, on: boolean): Promise<void> {
    const key = { pk: `WATCH#${ticketId}`, sk: 'WATCH' };
    if (!on) {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'DELETE staffIds :one',
          ExpressionAttributeValues: { ':one': new Set([staffId]) },
        }),
      );
      return;
    }
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'ADD staffIds :one',
          // One more only below the cap; watching again changes nothing.
          ConditionExpression:
            'attribute_not_exists(staffIds) OR size(staffIds) < :max OR contains(staffIds, :id)',
          ExpressionAttributeValues: { ':one': new Set([staffId]), ':max': MAX_WATCHERS, ':id': staffId },
        }),
      )
      .catch((error) => {
        if (error instanceof ConditionalCheckFailedException)
          throw new RuleViolation('too-many-watchers', `a ticket has at most ${MAX_WATCHERS} watchers`, 'id');
        throw error;
      });
  }

  async watchers(ticketId: string): Promise<string[]> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `WATCH#${ticketId}`, sk: 'WATCH' } }),
    );
    return [...((Item?.staffIds as Set<string> | undefined) ?? [])].sort();
  }

  async findByExternalRef(customerId: string, externalRef: string): Promise<string | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: externalRefKey(customerId, externalRef),
        ConsistentRead: true,
      }),
    );
    return (Item?.ticketId as string | undefined) ?? null;
  }

  async findClaim(key: string, now: string): Promise<{ ticketId: string; requestHash: string } | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: claimPk(key), sk: 'CLAIM' }, ConsistentRead: true }),
    );
    if (!Item || (Item.expiresAtEpoch as number) <= epochSeconds(now)) return null;
    return { ticketId: Item.ticketId as string, requestHash: Item.requestHash as string };
  }
}

function chooseIndex(query: TicketQuery): { index: string; key: string; value: string } {
  if (query.customerId && query.status) {
    return {
      index: 'byCustomerStatus',
      key: 'customerStatusKey',
      value: `${query.customerId}#${query.status}`,
    };
  }
  if (query.customerId) return { index: 'byCustomer', key: 'customerKey', value: query.customerId };
  if (query.status) return { index: 'byStatus', key: 'statusKey', value: query.status };
  return { index: 'byCreated', key: 'allKey', value: TICKET_SK };
}
