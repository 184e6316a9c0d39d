// The DynamoDB tables and their indexes, from the access patterns in docs/store.md. One
// definition serves the CDK stack and the local runtime's CreateTable calls.
export interface IndexSpec {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableSpec {
  partitionKey: string;
  sortKey: string;
  indexes: IndexSpec[];
  /** Attribute holding an epoch-seconds expiry, where items expire. */
  ttlAttribute?: string;
  /** A stream of new items (AWS: what publishes timeline entries to other systems). */
  stream?: boolean;
}

export const TABLES = {
  /** Tickets, their timelines (same partition) and Idempotency-Key claims (expiring). */
  tickets: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byCustomer', partitionKey: 'customerKey', sortKey: 'createdKey' },
      { name: 'byCustomerStatus', partitionKey: 'customerStatusKey', sortKey: 'createdKey' },
      { name: 'byStatus', partitionKey: 'statusKey', sortKey: 'createdKey' },
      { name: 'byCreated', partitionKey: 'allKey', sortKey: 'createdKey' },
      // A customer's tickets by their last write (a month's report and billing).
      { name: 'byCustomerActivity', partitionKey: 'customerKey', sortKey: 'activityKey' },
      { name: 'byAttention', partitionKey: 'attentionPartition', sortKey: 'attentionKey' },
      // Sparse: tickets with a running clock, by its next due time (the agents' queue), sharded
      // (DUE#0..15), and a customer's own.
      { name: 'byDeadline', partitionKey: 'deadlinePartition', sortKey: 'deadlineKey' },
      { name: 'byCustomerDeadline', partitionKey: 'customerKey', sortKey: 'deadlineKey' },
      // Sparse: mail entries not yet marked sent, by when they were written (the sweeper's list).
      { name: 'byOutbox', partitionKey: 'outboxShard', sortKey: 'outboxKey' },
    ],
    ttlAttribute: 'expiresAtEpoch',
    stream: true,
  },
  /** Plans, customers, contacts by e-mail, API keys by hash; sign-in links and sessions (expiring). */
  directory: { partitionKey: 'pk', sortKey: 'sk', indexes: [], ttlAttribute: 'expiresAtEpoch' },
  /** Incidents, and one copy per month an incident touches (for the monthly report). */
  incidents: { partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  /** Received mail: what became of each SES message, the quarantine list, auto-reply counts. */
  inbound: { partitionKey: 'pk', sortKey: 'sk', indexes: [], ttlAttribute: 'expiresAtEpoch' },
  /** Monthly reports per customer. */
  reports: { partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  /** Webhooks, linked Slack channels and threads, deliveries to other systems (expiring). */
  integrations: {
    partitionKey: 'pk',
    sortKey: 'sk',
    // Sparse: a customer's failed deliveries, by their last attempt.
    indexes: [{ name: 'byFailed', partitionKey: 'failedPartition', sortKey: 'failedKey' }],
    ttlAttribute: 'expiresAtEpoch',
  },
} satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

/** Tables only the local runtime has: its scheduler (on AWS, EventBridge Scheduler keeps them). */
export const LOCAL_TABLES = {
  schedules: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'byDue', partitionKey: 'duePartition', sortKey: 'dueKey' }],
  },
} satisfies Record<string, TableSpec>;
