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
import {
  firstPage,
  isMergeCursor,
  type MergeCursor,
  mergeShards,
  SHARDS,
  type ShardRead,
  shardKey,
  shardOf,
} from '../../../domain/shards';
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

export const TICKET_SK = 'TICKET';
const ticketPk = (id: string) => `TICKET#${id}`;
const entrySk = (seq: number) => `T#${String(seq).padStart(7, '0')}`;
const claimPk = (key: string) => `CLAIM#${key}`;
const leaseKey = (name: string) => ({ pk: `LEASE#${name}`, sk: 'LEASE' });
const epochSeconds = (at: string) => Math.floor(Date.parse(at) / 1000);

/**
 * Tickets a filtered list examines at most for one page (priority, assignee, team and breaches
 * filter the index that serves the rest): a page is full unless the list ended or this many were
 * examined for it, and then its cursor goes on from where the examination stopped.
 */
export const MAX_EXAMINED = 2_000;

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

// The indexes keyed on a value every ticket shares (all tickets, a status, the queue, the
// sweeper's list) are sharded by the ticket id (domain/shards.ts): `DUE#0`..`DUE#15`.
export function ticketItem(t: TicketRecord): Record<string, unknown> {
  const shard = shardOf(t.id);
  return {
    pk: ticketPk(t.id),
    sk: TICKET_SK,
    ...t,
    customerKey: t.customerId,
    customerStatusKey: `${t.customerId}#${t.status}`,
    statusKey: shardKey(t.status, shard),
    allKey: shardKey(TICKET_SK, shard),
    createdKey: `${t.createdAt}#${t.id}`,
    // Its last write: a month's report reads the tickets written since the month began.
    activityKey: `${t.updatedAt}#${t.id}`,
    // Sparse: only tickets that need the sweeper's attention at some time are in the index.
    ...(t.attentionAt
      ? { attentionPartition: shardKey('ATTENTION', shard), attentionKey: `${t.attentionAt}#${t.id}` }
      : {}),
    // Sparse: only tickets with a running clock are in the queue, soonest due first.
    ...(t.nextBreachAt
      ? { deadlinePartition: shardKey('DUE', shard), deadlineKey: `${t.nextBreachAt}#${t.id}` }
      : {}),
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
  'activityKey',
  'attentionPartition',
  'attentionKey',
  'deadlinePartition',
  'deadlineKey',
];

export function fromItem(item: Record<string, unknown>): TicketRecord {
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
function entryOf(item: Record<string, unknown>): TimelineEntry {
  const entry = withoutKeys<Record<string, unknown>>(item);
  for (const key of OUTBOX_ATTRIBUTES) delete entry[key];
  return entry as unknown as TimelineEntry;
}

/** A new ticket's items as its creation writes them: the ticket, then its entries from seq 1. */
export function newTicketItems(ticket: TicketRecord, entries: readonly NewTimelineEntry[]) {
  return [ticketItem(ticket), ...entries.map((entry, i) => entryItem(ticket.id, entry, i + 1))];
}

function entryPuts(table: string, ticketId: string, firstSeq: number, entries: NewTimelineEntry[]) {
  return entries.map((entry, i) => putNew(table, entryItem(ticketId, entry, firstSeq + i)));
}

export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly maxExamined = MAX_EXAMINED,
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
    const plan = listPlan(query);
    const { index, shards } = plan;
    let at: MergeCursor<string> | null = decodeListCursor(index, shards, cursor);
    const items: TicketRecord[] = [];
    let examined = 0;
    // Each shard is read a few items at a time (more once a filter has dropped some), in parallel.
    let perShard = shards === 1 ? limit : Math.max(5, Math.ceil((2 * limit) / shards));
    while (at && items.length < limit && examined < this.maxExamined) {
      const from: MergeCursor<string> = at;
      const need = limit - items.length;
      const reads = await Promise.all(
        from.positions.map((position, shard) =>
          position === 'done'
            ? null
            : this.readShard(plan, shard, position === 'start' ? null : position.after, perShard),
        ),
      );
      examined += reads.reduce((sum, r) => sum + (r?.examined ?? 0), 0);
      // A stored item's position is its own sort key, as written by ticketItem.
      const merged = mergeShards(reads, need, plan.order, (item) => String(item[plan.sortKey]), from);
      items.push(...merged.items.map(fromItem));
      at = merged.cursor;
      if (plan.filter) perShard = Math.min(250, perShard * 4);
    }
    return { items, nextCursor: at ? encodeListCursor(index, at) : null };
  }

  /** One Query of one shard of the list's index: up to `examine` items after `after`. */
  private async readShard(
    plan: ListPlan,
    shard: number,
    after: string | null,
    examine: number,
  ): Promise<ShardRead<Record<string, unknown>, string> & { examined: number }> {
    const partition = plan.shards === 1 ? plan.value : shardKey(plan.value, shard);
    const page = await this.db
      .send(
        new QueryCommand({
          TableName: this.table,
          IndexName: plan.index,
          KeyConditionExpression: `${plan.key} = :key`,
          ExpressionAttributeValues: { ':key': partition, ...plan.filter?.values },
          ...(plan.filter ? { FilterExpression: plan.filter.expression } : {}),
          ...(plan.filter && Object.keys(plan.filter.names).length
            ? { ExpressionAttributeNames: plan.filter.names }
            : {}),
          ScanIndexForward: plan.ascending,
          Limit: examine,
          // Built from the position and the query's own partition: a cursor cannot reach another's.
          ...(after
            ? {
                ExclusiveStartKey: {
                  pk: ticketPk(after.slice(after.lastIndexOf('#') + 1)),
                  sk: TICKET_SK,
                  [plan.key]: partition,
                  [plan.sortKey]: after,
                },
              }
            : {}),
        }),
      )
      .catch((error) => {
        throw isBadStartKey(error) ? new BadCursor() : error;
      });
    const last = page.LastEvaluatedKey?.[plan.sortKey];
    return {
      items: page.Items ?? [],
      next: typeof last === 'string' ? last : null,
      examined: page.ScannedCount ?? 0,
    };
  }

  async listActive(
    customerId: string,
    since: string,
    createdBefore: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<TicketRecord>> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCustomerActivity',
        KeyConditionExpression: 'customerKey = :c AND activityKey >= :since',
        // createdKey is `<createdAt>#<id>`: '#' sorts before any id, so `<before>#` ends before it.
        FilterExpression: 'createdKey < :before',
        ExpressionAttributeValues: { ':c': customerId, ':since': since, ':before': `${createdBefore}#` },
        Limit: limit,
        ExclusiveStartKey: decodeCursor('byCustomerActivity', cursor),
      }),
    );
    return {
      items: (page.Items ?? []).map(fromItem),
      nextCursor: encodeCursor('byCustomerActivity', page.LastEvaluatedKey),
    };
  }

  async needingAttention(now: string, limit: number): Promise<string[]> {
    const items = await this.eachShard(
      'byAttention',
      'attentionPartition',
      'ATTENTION',
      'attentionKey',
      now,
      limit,
    );
    return items.map((i) => i.id as string);
  }

  /** The oldest `limit` items of every shard of a sparse index up to `upTo`, merged oldest first. */
  private async eachShard(
    index: string,
    key: string,
    prefix: string,
    sortKey: string,
    upTo: string,
    limit: number,
    projection?: string,
  ): Promise<Record<string, unknown>[]> {
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: index,
            KeyConditionExpression: `${key} = :p AND ${sortKey} <= :upTo`,
            ExpressionAttributeValues: { ':p': shardKey(prefix, shard), ':upTo': `${upTo}#~` },
            ...(projection ? { ProjectionExpression: projection } : {}),
            Limit: limit,
          }),
        ),
      ),
    );
    return shards
      .flatMap((page) => page.Items ?? [])
      .sort((a, b) => byCodeUnits(String(a[sortKey]), String(b[sortKey])))
      .slice(0, limit);
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
    const items = await this.eachShard(
      'byOutbox',
      'outboxShard',
      'OUTBOX',
      'outboxKey',
      before,
      limit,
      'pk, seq, outboxKey',
    );
    return items.map((i) => ({ ticketId: String(i.pk).slice('TICKET#'.length), seq: i.seq as number }));
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

/** DynamoDB's order of string keys (by code units, never by locale). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface ListPlan {
  index: string;
  key: string;
  /** The partition value, or the prefix of its shards' values. */
  value: string;
  sortKey: string;
  shards: number;
  ascending: boolean;
  order: (a: string, b: string) => number;
  filter: { expression: string; names: Record<string, string>; values: Record<string, unknown> } | null;
}

/** The index that serves a list (sharded where its key is shared by every ticket), and what filters it. */
function listPlan(query: TicketQuery): ListPlan {
  const { customerId, status } = query;
  const [index, key, value, shards] = query.byDeadline
    ? customerId
      ? ['byCustomerDeadline', 'customerKey', customerId, 1]
      : ['byDeadline', 'deadlinePartition', 'DUE', SHARDS]
    : customerId && status
      ? ['byCustomerStatus', 'customerStatusKey', `${customerId}#${status}`, 1]
      : customerId
        ? ['byCustomer', 'customerKey', customerId, 1]
        : status
          ? ['byStatus', 'statusKey', status, SHARDS]
          : ['byCreated', 'allKey', TICKET_SK, SHARDS];
  const sortKey = query.byDeadline ? 'deadlineKey' : 'createdKey';
  const ascending = Boolean(query.byDeadline); // soonest due first, else newest first
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.byDeadline && status) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = status;
  }
  if (query.assignee) {
    conditions.push('assignee = :assignee');
    values[':assignee'] = query.assignee;
  }
  if (query.teamId) {
    conditions.push('teamId = :team');
    values[':team'] = query.teamId;
  }
  if (query.priority) {
    conditions.push('#priority = :priority');
    names['#priority'] = 'priority';
    values[':priority'] = query.priority;
  }
  if (query.breachedAt) {
    conditions.push('(breached = :true OR nextBreachAt < :now)');
    values[':true'] = true;
    values[':now'] = query.breachedAt;
  }
  return {
    index,
    key,
    value,
    sortKey,
    shards,
    ascending,
    order: ascending ? byCodeUnits : (a, b) => byCodeUnits(b, a),
    filter: conditions.length ? { expression: conditions.join(' AND '), names, values } : null,
  };
}

/** A list's cursor: its index, and where each of its shards stands. */
function encodeListCursor(index: string, cursor: MergeCursor<string>): string {
  return Buffer.from(JSON.stringify({ i: index, ...cursor })).toString('base64url');
}

function decodeListCursor(index: string, shards: number, cursor: string | undefined): MergeCursor<string> {
  if (cursor === undefined) return firstPage(shards);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursor();
  }
  const { i, ...rest } = (value ?? {}) as { i?: unknown };
  const positionsOk =
    isMergeCursor<string>(rest, shards) &&
    rest.positions.every(
      (p) => typeof p === 'string' || (typeof p.after === 'string' && p.after.length <= 300),
    );
  if (i !== index || !positionsOk) throw new BadCursor();
  return { shards, positions: (rest as MergeCursor<string>).positions };
}
