// Every dependency of the handlers on the outside world, as an interface. Adapters live in
// adapters/aws (DynamoDB, also used locally against DynamoDB Local) and adapters/local.
import type { Generations, ScheduledDeadline } from '../domain/deadlines';
import type { Channel, ClockName, Plan, Priority } from '../domain/plans';
import type { Category, Role, Status } from '../domain/ticket';

export type Iso = string;

export interface Actor {
  role: Role;
  /** The API key's name, or the mail sender for inbound mail. */
  name: string;
  keyId?: string;
}

/** One line of a ticket's timeline, as stored and as served (internal notes hidden from customers). */
export type TimelineEntry = { seq: number; at: Iso; actor: Actor | null } & (
  | { type: 'created'; priority: Priority; channel: Channel }
  | { type: 'message'; author: 'agent' | 'customer'; internal: boolean; body: string }
  | { type: 'status'; from: Status; to: Status }
  | { type: 'priority'; from: Priority; to: Priority }
  | { type: 'assignee'; from: string | null; to: string | null }
  | { type: 'category'; from: Category | null; to: Category | null }
  | { type: 'time-entry'; minutes: number; note: string | null }
  | { type: 'breach'; clock: ClockName; cycle: number; dueAt: Iso }
  | { type: 'warning'; clock: ClockName; cycle: number; dueAt: Iso }
  | { type: 'escalated'; reason: 'keyword' | 'manual' }
  /** A mail to send, written with the change that causes it (a transactional outbox). */
  | {
      type: 'mail';
      purpose: MailPurpose;
      to: string[];
      subject: string;
      text: string;
      html: string;
      messageId: string;
    }
  | { type: 'mail-sent'; mailSeq: number }
);

export type MailPurpose =
  | 'acknowledgement'
  | 'agent-reply'
  | 'major-incident'
  | 'keyword-escalation'
  | 'warning'
  | 'breach';
export type NewTimelineEntry = TimelineEntry extends infer E
  ? E extends TimelineEntry
    ? Omit<E, 'seq'>
    : never
  : never;

export interface TicketRecord {
  id: string;
  customerId: string;
  planId: string;
  planVersion: number;
  subject: string;
  description: string;
  priority: Priority;
  category: Category | null;
  channel: Channel;
  requesterEmail: string;
  status: Status;
  assignee: string | null;
  createdAt: Iso;
  updatedAt: Iso;
  version: number;
  /** How many timeline entries the ticket has; new entries continue from here. */
  timelineLength: number;
  /** The earliest breach time of a running clock, for the sweeper and the breached filter. */
  nextBreachAt: Iso | null;
  /** Whether any clock has breached (as of the last write). */
  breached: boolean;
  /** The deadline events scheduled for this ticket now, and each clock's generation. */
  deadlines: ScheduledDeadline[];
  generations: Generations;
  /** Timeline seqs of mail entries not yet sent. */
  pendingMail: number[];
  /** When the sweeper should look at this ticket: a deadline due, or mail left unsent. */
  attentionAt: Iso | null;
}

export interface TicketQuery {
  customerId?: string;
  status?: Status;
  priority?: Priority;
  /** Only tickets with a breach, counting running clocks past their due time at `now`. */
  breachedAt?: Iso;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface IdempotencyClaim {
  /** Caller and key, e.g. the API key id and the Idempotency-Key header. */
  key: string;
  requestHash: string;
  claimedAt: Iso;
  expiresAt: Iso;
}

export interface TicketStore {
  /** Writes a new ticket and its first entries; with a claim, the claim is written in the same transaction. */
  create(ticket: TicketRecord, entries: NewTimelineEntry[], claim?: IdempotencyClaim): Promise<void>;
  get(id: string): Promise<{ ticket: TicketRecord; timeline: TimelineEntry[] } | null>;
  /** Writes `ticket` (its version one up) and appends entries, if the stored version is still `expectedVersion`. */
  update(ticket: TicketRecord, expectedVersion: number, entries: NewTimelineEntry[]): Promise<void>;
  list(query: TicketQuery, limit: number, cursor?: string): Promise<Page<TicketRecord>>;
  /** The live claim of a key at `now`; an expired one (TTL deletion is lazy) counts as none. */
  findClaim(key: string, now: Iso): Promise<{ ticketId: string; requestHash: string } | null>;
  /** Ids of tickets whose attentionAt is at or before `now`, oldest first. */
  needingAttention(now: Iso, limit: number): Promise<string[]>;
}

/** What the escalation function receives from a one-shot schedule. */
export interface DeadlineEvent {
  ticketId: string;
  clock: ClockName;
  kind: 'warning' | 'breach';
  generation: number;
}

export interface Scheduler {
  /** Creates one one-shot event per deadline; an existing one of the same name is kept. */
  schedule(ticketId: string, deadlines: readonly ScheduledDeadline[]): Promise<void>;
  /** Deletes pending events; one already gone is fine. */
  cancel(ticketId: string, deadlines: readonly ScheduledDeadline[]): Promise<void>;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** `<...@...>`, deterministic per ticket and timeline entry, so that replies thread. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

export interface Contact {
  email: string;
  name: string;
  /** Holds one of the plan's seats: may open tickets. */
  mayOpenTickets: boolean;
}

export interface CustomerRecord {
  id: string;
  name: string;
  planId: string;
  contacts: Contact[];
  createdAt: Iso;
  version: number;
}

export interface ApiKeyRecord {
  id: string;
  /** SHA-256 of the key, hex; the key itself is never stored. */
  hash: string;
  role: Role;
  customerId: string | null;
  name: string;
  createdAt: Iso;
}

export interface Directory {
  getPlan(id: string): Promise<Plan | null>;
  listPlans(): Promise<Plan[]>;
  /** Throws Duplicate when the id exists, unless `replace` (seeding presets on start). */
  putPlan(plan: Plan, options?: { replace?: boolean }): Promise<void>;
  /** Throws Duplicate when a contact's e-mail address belongs to another customer. */
  createCustomer(customer: CustomerRecord): Promise<void>;
  getCustomer(id: string): Promise<CustomerRecord | null>;
  putApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(hash: string): Promise<ApiKeyRecord | null>;
}

export interface IncidentRecord {
  id: string;
  component: string;
  startedAt: Iso;
  endedAt: Iso | null;
  /** null: every customer is affected. */
  customerIds: string[] | null;
  planned: boolean;
  createdAt: Iso;
  updatedAt: Iso;
  version: number;
}

export interface IncidentStore {
  create(incident: IncidentRecord): Promise<void>;
  get(id: string): Promise<IncidentRecord | null>;
  update(incident: IncidentRecord, expectedVersion: number): Promise<void>;
}

export interface ReportStore {
  get(customerId: string, month: string): Promise<Record<string, unknown> | null>;
}

/** Time as the handlers see it: the system clock on AWS, possibly a virtual one locally. */
export interface Clock {
  now(): number;
}

export interface Deps {
  tickets: TicketStore;
  directory: Directory;
  incidents: IncidentStore;
  reports: ReportStore;
  scheduler: Scheduler;
  mailer: Mailer;
  clock: Clock;
}
