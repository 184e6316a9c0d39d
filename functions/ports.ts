// Every dependency of the handlers on the outside world, as an interface. Adapters live in
// adapters/aws (DynamoDB, also used locally against DynamoDB Local) and adapters/local.

import type { AlertEvent, AlertState } from '../domain/alerts';
import type { Contract, Device } from '../domain/billing';
import type { Generations, ScheduledDeadline } from '../domain/deadlines';
import type { Recipient } from '../domain/escalation-policy';
import type { RegionHolidays } from '../domain/holidays';
import type { WebhookEvent } from '../domain/integrations';
import type { MacroChanges } from '../domain/macros';
import type { NotificationKind, NotificationPreferences } from '../domain/notifications';
import type { PagingService, TeamOnCall } from '../domain/on-call';
import type { Channel, ClockName, Plan, Priority } from '../domain/plans';
import type { PresenceState } from '../domain/presence';
import type { StaffRole, StaffStatus } from '../domain/staff';
import type { SlaSummary } from '../domain/summary';
import type { Category, Role, Status } from '../domain/ticket';
import type { ListedTicket, Sort, ViewDefinition, Viewer, ViewFilter } from '../domain/views';
import type { WorkingHours } from '../domain/working-hours';

export type Iso = string;

export interface Actor {
  /** `partner`: an onsite partner answering by mail. */
  role: Role | 'partner';
  /** The staff member's display name, the API key's name, or the mail sender for inbound mail. */
  name: string;
  keyId?: string;
  /** The staff account behind it (a person's session or key); older entries have none. */
  staffId?: string;
}

/** One line of a ticket's timeline, as stored and as served (internal notes hidden from customers). */
/** A file that came with a mail, kept in the blob store. */
export interface Attachment {
  name: string;
  type: string;
  size: number;
  key: string;
}

/** Where an entry came from when it arrived by mail: the SES message id, for exactly-once. */
export interface FromMail {
  sourceMessageId?: string;
  attachments?: Attachment[];
  /** For staff: the message as received (the entry's text has its quoted history cut off). */
  original?: Attachment;
  /** For staff: what was wrong with a mail filed with what could be read of it. */
  mailProblem?: string;
}

export type TimelineEntry = { seq: number; at: Iso; actor: Actor | null } & (
  | ({
      type: 'created';
      priority: Priority;
      /** The ticket type it was opened with (its targets may differ: Plan.byCategory). */
      category?: Category | null;
      channel: Channel;
      relatedTicketId?: string;
      /** A P1 on a 24/7 level: it pages the on-call at once (domain/escalation-policy.ts). */
      pages?: true;
    } & FromMail)
  /** A partner's message is always internal: the desk relays what the customer should know. */
  | ({
      type: 'message';
      author: 'agent' | 'customer' | 'partner';
      internal: boolean;
      body: string;
    } & FromMail)
  /** Routed to an onsite partner (`to`), or taken back from one (`to` null). */
  | { type: 'routed'; from: PartnerRef | null; to: PartnerRef | null; note: string | null }
  | { type: 'status'; from: Status; to: Status }
  | { type: 'priority'; from: Priority; to: Priority }
  /** Addresses for staff; the names are what customers see (older entries have none). */
  | {
      type: 'assignee';
      from: string | null;
      to: string | null;
      fromName?: string | null;
      toName?: string | null;
      /** The staff accounts (older entries have none). */
      fromId?: string | null;
      toId?: string | null;
    }
  /** The team it is with (ids, and names as they were): staff only. */
  | { type: 'team'; from: string | null; to: string | null; fromName: string | null; toName: string | null }
  | { type: 'category'; from: Category | null; to: Category | null }
  /** Tags added and removed: staff only. */
  | { type: 'tags'; added: string[]; removed: string[] }
  /** What the ticket is about: the component or the device affected (learning suggestions count them). */
  | { type: 'field'; field: TicketLabel; from: string | null; to: string | null }
  | { type: 'time-entry'; minutes: number; note: string | null }
  /** `pages`: it began an escalation chain (the plan's policy steps); older entries began none. */
  | { type: 'breach'; clock: ClockName; cycle: number; dueAt: Iso; pages?: true }
  | { type: 'warning'; clock: ClockName; cycle: number; dueAt: Iso; pages?: true }
  /** Escalated by the plan's key-word or an agent; `pages`: it pages at once. */
  | { type: 'escalated'; reason: 'keyword' | 'manual'; pages?: true }
  /**
   * A step of an escalation chain (domain/escalation-policy.ts), handled once: whom it reached
   * (null: no one, and why), through what, and for a page the hash of its one-time link.
   */
  | {
      type: 'page';
      chain: string;
      /** The timeline entry that started the chain. */
      chainSeq: number;
      step: number;
      by: 'notify' | 'page';
      recipient: Recipient;
      to: { staffId: string; name: string } | null;
      /** Why no one was reached: no one on call, no team, no support manager. */
      unreached?: string;
      service: PageService | null;
      pageId: string;
      dueAt: Iso;
      /** SHA-256 of the page's one-time acknowledgement link (hex); never served. */
      tokenHash?: string;
    }
  /** A page the paging service refused or could not be reached for. */
  | { type: 'page-failed'; pageId: string; error: string }
  /** Someone took the page: every later page of the chains begun before it does nothing. */
  | {
      type: 'acknowledged';
      via: 'console' | 'link' | 'pagerduty' | 'opsgenie';
      pageId: string | null;
      /** The service's event it came by (taken once). */
      ref?: string;
    }
  /** A mail to send, written with the change that causes it (a transactional outbox). */
  | {
      type: 'mail';
      purpose: MailPurpose;
      to: string[];
      subject: string;
      /** The words, stored once; text and HTML are rendered when it is sent. */
      paragraphs: string[];
      quote?: string;
      messageId: string;
      /** The Message-ID of the customer's mail it answers (the acknowledgement of a mailed request). */
      inReplyTo?: string;
      /** When it went out: marked on the entry itself (TicketStore.markMailSent), never on the ticket. */
      sentAt?: Iso;
    }
);

/** An onsite partner as a ticket records it (the partner may be edited or removed later). */
export interface PartnerRef {
  id: string;
  name: string;
  email: string;
}

/** Free-text facts of a ticket the monthly report groups tickets by. */
export type TicketLabel = 'component' | 'device';

export type MailPurpose =
  | 'acknowledgement'
  | 'agent-reply'
  | 'major-incident'
  | 'keyword-escalation'
  | 'warning'
  | 'breach'
  | 'partner-routing'
  | 'partner-withdrawn';
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
  /** The part of the solution affected (an alert's component), and the device; older tickets have none. */
  component?: string | null;
  device?: string | null;
  channel: Channel;
  requesterEmail: string;
  /** The client's own service desk id for it, unique per customer (older tickets have none). */
  externalRef?: string | null;
  /** The onsite partner it is routed to (plans with onsitePartners); older tickets have none. */
  partner?: PartnerRef | null;
  /** The Slack thread it was opened from (channel `chat`); agents' public replies go there. */
  chat?: ChatThread | null;
  status: Status;
  /** The agent's e-mail address (staff see it). */
  assignee: string | null;
  /** The assignee's staff account (older tickets have none). */
  assigneeId?: string | null;
  /** The team it is with (its id), with or without an assignee. */
  teamId?: string | null;
  /** Free tags (domain/tags.ts), staff-only; older tickets have none. */
  tags?: string[];
  /** The assignee's display name: what customers see instead of the address. */
  assigneeName?: string | null;
  createdAt: Iso;
  updatedAt: Iso;
  version: number;
  /**
   * The version callers see (ETag, If-Match): one up on every change but the desk's own
   * bookkeeping (mail marked sent after the request), so a client's pinned change is not
   * refused for it. Older tickets have none: their version.
   */
  revision?: number;
  /** How many timeline entries the ticket has; new entries continue from here. */
  timelineLength: number;
  /** The earliest breach time of a running clock, for the sweeper and the breached filter. */
  nextBreachAt: Iso | null;
  /** Whether any clock has breached (as of the last write). */
  breached: boolean;
  /** The deadline events scheduled for this ticket now, and each clock's generation. */
  deadlines: ScheduledDeadline[];
  generations: Generations;
  /** The clocks as the monthly report reads them (domain/summary.ts); older tickets have none. */
  summary?: SlaSummary;
  /** Its time entries, `[at (ms), minutes]`, in timeline order; older tickets have none. */
  timeLog?: [number, number][];
  /** When the sweeper should look at this ticket: a deadline or an escalation step due. */
  attentionAt: Iso | null;
}

export interface TicketQuery {
  customerId?: string;
  status?: Status;
  priority?: Priority;
  /** Only tickets with a breach, counting running clocks past their due time at `now`. */
  breachedAt?: Iso;
  assignee?: string;
  teamId?: string;
  /** Tickets with a running clock, soonest due first (the queue), instead of newest first. */
  byDeadline?: boolean;
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
  /**
   * Writes a new ticket with its first entries, claiming the idempotency key (ClaimTaken when
   * taken) and its externalRef for the customer (ExternalRefTaken when another ticket has it).
   */
  create(ticket: TicketRecord, entries: NewTimelineEntry[], claim?: IdempotencyClaim): Promise<void>;
  /** The ticket of a customer with this externalRef, or null. */
  findByExternalRef(customerId: string, externalRef: string): Promise<string | null>;
  get(id: string): Promise<{ ticket: TicketRecord; timeline: TimelineEntry[] } | null>;
  /** Writes `ticket` (its version one up) and appends entries, if the stored version is still `expectedVersion`. */
  update(ticket: TicketRecord, expectedVersion: number, entries: NewTimelineEntry[]): Promise<void>;
  list(query: TicketQuery, limit: number, cursor?: string): Promise<Page<TicketRecord>>;
  /** The live claim of a key at `now`; an expired one (TTL deletion is lazy) counts as none. */
  findClaim(key: string, now: Iso): Promise<{ ticketId: string; requestHash: string } | null>;
  /**
   * A customer's tickets last written at or after `since` and created before `createdBefore`,
   * by their last write, a page at a time: every ticket anything happened to since then (a
   * month's report and billing), without the years before.
   */
  listActive(
    customerId: string,
    since: Iso,
    createdBefore: Iso,
    limit: number,
    cursor?: string,
  ): Promise<Page<TicketRecord>>;
  /** Ids of tickets whose attentionAt is at or before `now`, oldest first. */
  needingAttention(now: Iso, limit: number): Promise<string[]>;
  /**
   * Marks a mail entry sent at `at` (its own item: the ticket is not written); false when it
   * was marked already.
   */
  markMailSent(ticketId: string, seq: number, at: Iso): Promise<boolean>;
  /** Mail entries written at or before `before` and not yet marked sent, oldest first. */
  unsentMail(before: Iso, limit: number): Promise<{ ticketId: string; seq: number }[]>;
  /**
   * Takes the named lease for `holder` until `until`, if no one holds it at `now` (a lease
   * whose holder died runs out); false while another holds it.
   */
  takeLease(name: string, holder: string, now: Iso, until: Iso): Promise<boolean>;
  /** Gives the lease back, if `holder` still holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Adds or removes a person watching the ticket (RuleViolation `too-many-watchers` at MAX_WATCHERS). */
  watch(ticketId: string, staffId: string, on: boolean): Promise<void>;
  /** The staff ids watching the ticket. */
  watchers(ticketId: string): Promise<string[]>;
}

/** What the escalation function receives from a one-shot schedule. */
export interface DeadlineEvent {
  ticketId: string;
  clock: ClockName;
  kind: 'warning' | 'breach';
  generation: number;
}

/** What the escalation function receives for a step of an escalation chain. */
export interface StepEvent {
  ticketId: string;
  chain: string;
  chainSeq: number;
  step: number;
}

export interface Scheduler {
  /** Creates one one-shot event per deadline; an existing one of the same name is kept. */
  schedule(ticketId: string, deadlines: readonly ScheduledDeadline[]): Promise<void>;
  /** Creates one one-shot event per escalation step at its instant; an existing one is kept. */
  scheduleSteps(steps: readonly (StepEvent & { at: number })[]): Promise<void>;
  /** Deletes pending events; one already gone is fine. */
  cancel(ticketId: string, deadlines: readonly ScheduledDeadline[]): Promise<void>;
}

export interface OutgoingMail {
  to: string[];
  /** Copied (a customer's support manager on its monthly report). */
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /** `<...@...>`, deterministic per ticket and timeline entry, so that replies thread. */
  messageId: string;
  /** The thread: `<TKT-...@domain>` for every mail of a ticket. */
  references?: string[];
  /** Extra headers, e.g. Auto-Submitted on automatic replies. */
  headers?: Record<string, string>;
  attachments?: { filename: string; contentType: string; content: string }[];
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
  /** Billing terms (Atollon's contract flags, allowance and tariff). */
  contract: Contract;
  /** Devices registered (each is its own item, listed with listDevices); absent on old records. */
  deviceCount?: number;
  /** The agent who is the customer's support manager (plans with `supportManager`); older records have no staffId. */
  supportManager?: { staffId?: string; email: string; name: string } | null;
  createdAt: Iso;
  version: number;
}

/** Who answers for a key: a staff member (their name as it was when the key was made), or a named system. */
export type KeyOwner = { staffId: string; name: string } | { integration: string };

export interface ApiKeyRecord {
  id: string;
  /** SHA-256 of the key, hex; the key itself is never stored. */
  hash: string;
  role: Role;
  customerId: string | null;
  name: string;
  createdAt: Iso;
  /** `alerts`: a customer's monitoring key, good for POST /integrations/alerts and nothing else. */
  scope?: 'alerts';
  /** Older keys have none. */
  owner?: KeyOwner;
  expiresAt?: Iso | null;
  /** Set once a minute at most, when the key is used. */
  lastUsedAt?: Iso | null;
  revokedAt?: Iso | null;
}

/** A person who works in the desk. Deactivated people keep their record: timelines name them. */
export interface StaffRecord {
  id: string;
  /** Lower case; unique in the directory, and never a customer contact's. */
  email: string;
  name: string;
  role: StaffRole;
  /** Team ids, at most MAX_TEAMS_PER_PERSON. */
  teams: string[];
  workingHours: WorkingHours;
  /** Where pages reach them: a mobile number for text messages (E.164), else their mail; older records have none. */
  phone?: string | null;
  /** Their Slack member id, for pages as a direct message; older records have none. */
  slackUserId?: string | null;
  /** How each kind of notification reaches them, and their quiet hours; older records have the defaults. */
  notifications?: NotificationPreferences;
  status: StaffStatus;
  createdAt: Iso;
  updatedAt: Iso;
  lastSignInAt: Iso | null;
  version: number;
}

/** How a page goes out: the desk's own text message or mail, a Slack message, or a team's service. */
export type PageService = 'sms' | 'mail' | 'slack' | 'pagerduty' | 'opsgenie';

/** One page or notification to send, as the paging port gets it. */
export interface PageRequest {
  pageId: string;
  ticketId: string;
  /** One per ticket and chain: a service's retries and later steps never open a second incident. */
  dedupKey: string;
  service: PageService;
  /** The team's PagerDuty or Opsgenie settings, for those services. */
  via: PagingService;
  to: {
    staffId: string;
    name: string;
    email: string;
    phone: string | null;
    slackUserId: string | null;
  } | null;
  summary: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  /** The one-time link that acknowledges it (text messages and mail carry it). */
  ackUrl: string;
  /** The ticket in the console. */
  ticketUrl: string;
}

/** Pages people (domain/escalation-policy.ts); each service is an adapter. */
export interface Pager {
  /** Sends the page; throws when the service refuses it (the chain goes on, the failure is recorded). */
  page(request: PageRequest): Promise<void>;
  /** Tells a team's service the incident is acknowledged or resolved (PagerDuty, Opsgenie); nothing for the others. */
  close(dedupKey: string, via: PagingService, how: 'acknowledge' | 'resolve'): Promise<void>;
}

/** A team's on-call as stored: the schedules and how it is paged. */
export interface OnCallRecord extends TeamOnCall {
  teamId: string;
  updatedAt: Iso;
  updatedBy: string;
  version: number;
}

/** A notification in a person's console list (domain/notifications.ts). */
export interface NotificationRecord {
  /** `<ticket>.<seq>`: one per timeline entry and person, so a retried publish notifies once. */
  id: string;
  staffId: string;
  kind: NotificationKind;
  ticketId: string;
  /** What it says: "Peter Gibbons replied on TKT-…: Search is down". */
  text: string;
  at: Iso;
  readAt: Iso | null;
}

export interface NotificationStore {
  /** Stores it unless one of its id is stored for the person: true for the first time only. */
  add(notification: NotificationRecord): Promise<boolean>;
  /** A person's newest, at most `limit` (MAX_NOTIFICATIONS). */
  list(staffId: string, limit: number): Promise<NotificationRecord[]>;
  /** Marks these (or, with null, every unread one) read at `at`. */
  markRead(staffId: string, ids: string[] | null, at: Iso): Promise<number>;
}

/** What a live console hears: a ticket changed (it reads it again), or who is on a ticket. */
export type LiveEvent =
  | { type: 'ticket'; ticketId: string; revision: number; customerId: string; at: Iso }
  | {
      type: 'presence';
      ticketId: string;
      staffId: string;
      name: string;
      state: PresenceState | 'left';
      at: Iso;
    };

/** Pushes events to every open staff console (server-sent events locally, a WebSocket API on AWS). */
export interface Live {
  publish(events: LiveEvent[]): Promise<void>;
}

/** One-time tokens a console opens its live connection with (60 s), and presences on tickets. */
export interface LiveStore {
  /** Keeps a token's hash for `staffId` until `expiresAt`. */
  putToken(hash: string, staffId: string, expiresAt: Iso): Promise<void>;
  /** The staff id of a live token, consumed (a second use finds nothing), or null. */
  takeToken(hash: string, now: Iso): Promise<string | null>;
  /** Says a person is on a ticket (replacing what they said before), until it expires. */
  putPresence(
    ticketId: string,
    presence: { staffId: string; name: string; state: PresenceState; at: Iso },
  ): Promise<void>;
  /** Says a person left a ticket. */
  removePresence(ticketId: string, staffId: string): Promise<void>;
  /** Everyone who said they are on a ticket and has not expired (at most MAX_PRESENT). */
  presences(ticketId: string): Promise<{ staffId: string; name: string; state: PresenceState; at: Iso }[]>;
}

export interface OnCallStore {
  get(teamId: string): Promise<OnCallRecord | null>;
  /** Writes it if the stored one is at `expectedVersion` (0: none yet), VersionConflict otherwise. */
  put(record: OnCallRecord, expectedVersion: number): Promise<void>;
}

export interface TeamRecord {
  id: string;
  name: string;
  createdAt: Iso;
  version: number;
}

/**
 * A ticket an agent shared with every customer whose plan lets them browse shared tickets:
 * a public summary and resolution, and nothing of who asked.
 */
export interface SharedTicket {
  id: string;
  ticketId: string;
  category: Category | null;
  priority: Priority;
  summary: string;
  resolution: string;
  sharedAt: Iso;
}

export interface SharedTickets {
  /** Shares (or shares again, replacing) a ticket's summary and resolution. */
  put(shared: SharedTicket): Promise<void>;
  /** False where the ticket was not shared. */
  remove(ticketId: string): Promise<boolean>;
  /** Shared tickets whose text holds every word (lower case), newest first, a page at a time. */
  search(words: string[], limit: number, cursor?: string): Promise<Page<SharedTicket>>;
}

/** An onsite support partner (Ombori): routed tickets are mailed to them. */
export interface Partner extends PartnerRef {
  /** ISO 3166 countries and subdivisions they work in (domain/partners.ts). */
  regions: string[];
  createdAt: Iso;
  updatedAt: Iso;
  version: number;
}

export interface Partners {
  /** Throws Duplicate when a partner has the e-mail address, TooMany at MAX_PARTNERS. */
  create(partner: Partner): Promise<void>;
  get(id: string): Promise<Partner | null>;
  /** Writes it over `before` (as read) if still at its version (VersionConflict), its address unique (Duplicate). */
  update(partner: Partner, before: Partner): Promise<void>;
  /** False where there was none. */
  remove(id: string): Promise<boolean>;
  /** Every partner (at most MAX_PARTNERS), by name. */
  list(): Promise<Partner[]>;
}

export interface Directory {
  getPlan(id: string): Promise<Plan | null>;
  listPlans(): Promise<Plan[]>;
  /** Throws Duplicate when the id exists, unless `replace` (seeding presets on start). */
  putPlan(plan: Plan, options?: { replace?: boolean }): Promise<void>;
  /** Throws Duplicate when a contact's e-mail address belongs to another customer. */
  createCustomer(customer: CustomerRecord): Promise<void>;
  getCustomer(id: string): Promise<CustomerRecord | null>;
  /** Writes the customer if it is still at `expectedVersion` (VersionConflict otherwise). */
  updateCustomer(customer: CustomerRecord, expectedVersion: number): Promise<void>;
  listCustomers(limit: number, cursor?: string): Promise<Page<CustomerRecord>>;
  /**
   * Writes a device with the customer counted one device up (its version one up), if the
   * customer is still at its version (VersionConflict otherwise). `device.seq` is the new count.
   */
  addDevice(customer: CustomerRecord, device: Device): Promise<void>;
  /** A customer's devices in registration order, from `afterSeq` on, a page at a time. */
  listDevices(customerId: string, limit: number, cursor?: string, afterSeq?: number): Promise<Page<Device>>;
  /** A RuleViolation at MAX_API_KEYS. */
  putApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(hash: string): Promise<ApiKeyRecord | null>;
  /** Every key, newest first (at most MAX_API_KEYS). */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** A key by its id (as listed), or null. */
  getApiKeyById(id: string): Promise<ApiKeyRecord | null>;
  /** Marks the key revoked at `at`; false where it was revoked already or is unknown. */
  revokeApiKey(hash: string, at: Iso): Promise<boolean>;
  /** Records a use at `at` if the last one recorded is older than `since` (one write a minute at most). */
  touchApiKey(hash: string, at: Iso, since: Iso): Promise<void>;
  /** The customer a contact's address belongs to (case-insensitive), or null. */
  customerByEmail(email: string): Promise<string | null>;
}

/** The staff directory: people and teams (the directory table). */
export interface StaffDirectory {
  /** Throws Duplicate when a staff member or a contact has the address; a RuleViolation at MAX_STAFF. */
  createStaff(staff: StaffRecord): Promise<void>;
  getStaff(id: string): Promise<StaffRecord | null>;
  staffByEmail(email: string): Promise<StaffRecord | null>;
  /** Writes it if still at `expectedVersion` (VersionConflict otherwise); the address never changes. */
  updateStaff(staff: StaffRecord, expectedVersion: number): Promise<void>;
  /** Everyone, by name (at most MAX_STAFF). */
  listStaff(): Promise<StaffRecord[]>;
  /** Throws Duplicate for a name taken (case-insensitive); a RuleViolation at MAX_TEAMS. */
  createTeam(team: TeamRecord): Promise<void>;
  /** Every team, by name. */
  listTeams(): Promise<TeamRecord[]>;
}

export interface BlobStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or null where there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the object (nothing where there is none). */
  delete(key: string): Promise<void>;
  /** The object's size and media type, or null where there is none. */
  head(key: string): Promise<{ size: number; contentType: string } | null>;
  /**
   * A form a browser POSTs one file with, straight to the store (an S3 presigned POST): the
   * fields go first, the file last as `file`; the store refuses another type, an empty file,
   * one over `maxBytes`, or a form older than `expiresInSeconds`. `url` may be relative to the
   * API's origin (the local runtime).
   */
  uploadForm(key: string, options: UploadOptions): Promise<{ url: string; fields: Record<string, string> }>;
  /** A link that downloads the object as a file named `filename`, for `expiresInSeconds`. */
  downloadUrl(
    key: string,
    options: { filename: string; contentType: string; expiresInSeconds: number },
  ): Promise<string>;
}

export interface UploadOptions {
  contentType: string;
  maxBytes: number;
  expiresInSeconds: number;
}

/** `duplicate`: the sender's re-sent copy of a message an earlier delivery already brought. */
export type MailOutcome = 'ticket' | 'message' | 'quarantine' | 'duplicate';

/** What became of one received mail. */
export interface InboundRecord {
  messageId: string;
  receivedAt: Iso;
  from: string | null;
  subject: string | null;
  outcome: MailOutcome;
  ticketId: string | null;
  /** Why it was quarantined (or why no ticket was opened). */
  reason: string | null;
  /** The raw message: under quarantine/ for quarantined mail. */
  rawKey: string;
}

export interface InboundStore {
  get(messageId: string): Promise<InboundRecord | null>;
  /** Records the outcome unless one exists (false then); quarantined mail is also listed by receipt time. */
  put(record: InboundRecord): Promise<boolean>;
  listQuarantine(limit: number, cursor?: string): Promise<Page<InboundRecord>>;
  /** Counts an automatic reply to `sender` on `day`; false once `limit` were sent that day. */
  allowAutoReply(sender: string, day: string, limit: number): Promise<boolean>;
  /**
   * The SES id of the first delivery of `sender`'s message `copy` (its Message-ID and content):
   * `sesId` if this is the first, remembered until `keepUntil` (ms).
   */
  firstDelivery(sender: string, copy: string, sesId: string, now: number, keepUntil: number): Promise<string>;
  /**
   * Makes `sesId` the first delivery instead of `failed`, if `failed` recorded no outcome and
   * claimed the message before `staleBefore` (it failed, or ran out of time): false otherwise.
   */
  takeOverDelivery(
    sender: string,
    copy: string,
    failed: string,
    sesId: string,
    now: number,
    staleBefore: number,
  ): Promise<boolean>;
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
  /** Incidents touching a UTC month (yyyy-mm), and every incident still open. */
  touching(utcMonth: string): Promise<IncidentRecord[]>;
  /** What the desk knows of a customer's monitoring alert (by its key), with its version. */
  getAlert(customerId: string, key: string): Promise<(AlertState & { version: number }) | null>;
  /** Stores it if it is still at `expectedVersion` (0: not stored yet); VersionConflict otherwise. */
  putAlert(customerId: string, key: string, state: AlertState, expectedVersion: number): Promise<void>;
}

export interface StoredReport {
  report: Record<string, unknown>;
  /** When it was mailed to the customer; a re-run does not mail again unless asked to. */
  mailedAt: Iso | null;
}

/** One customer's report of a month: the unit a report run fans out into. */
export interface ReportUnit {
  customerId: string;
  month: string;
  resend: boolean;
}

/** Where a run's units go: SQS on AWS (the report function takes them), in-process locally. */
export interface ReportQueue {
  send(units: ReportUnit[]): Promise<void>;
}

/** A month's run as it goes: customers queued, reported, mailed, failed for good. */
export interface ReportRun {
  month: string;
  customers: number;
  done: number;
  mailed: number;
  failed: number;
  /** The first failures, at most MAX_RUN_FAILURES; `failed` counts them all. */
  failures: { customerId: string; error: string }[];
  startedAt: Iso;
  updatedAt: Iso;
}

export interface ReportStore {
  /** Starts a month's run afresh (a re-run replaces the last one's figures). */
  startRun(month: string, at: Iso): Promise<void>;
  /** Counts customers queued into the run. */
  addCustomers(month: string, count: number, at: Iso): Promise<void>;
  /** Counts one customer's outcome. */
  countUnit(
    month: string,
    outcome: 'done' | 'mailed' | 'failed',
    at: Iso,
    failure?: { customerId: string; error: string },
  ): Promise<void>;
  getRun(month: string): Promise<ReportRun | null>;
  /** The stored report; `report` is null where its index survives but its body is gone. */
  getStored(
    customerId: string,
    month: string,
  ): Promise<{ report: Record<string, unknown> | null; mailedAt: Iso | null } | null>;
  put(customerId: string, month: string, stored: StoredReport): Promise<void>;
  /** A customer's stored reports, newest month first, a page at a time. */
  list(customerId: string, limit: number, cursor?: string): Promise<Page<StoredReportIndex>>;
}

export interface StoredReportIndex {
  month: string;
  mailedAt: Iso | null;
}

/** A one-time sign-in link, stored by the hash of its token: a contact's, or a staff member's. */
export type SignInLink = { tokenHash: string; email: string; expiresAt: Iso } & (
  | {
      customerId: string;
      contactName: string;
      /** A request written in the embedded form, filed once the link proves the address. */
      draft?: TicketDraft;
    }
  | {
      staffId: string;
      /** An invitation: the person finishes their account with it. */
      invitation?: boolean;
    }
);

/** A staff member's signed-in browser as it is listed to them and to admins (never its cookie). */
export interface StaffSessionRecord {
  id: string;
  staffId: string;
  /** How they signed in. */
  method: 'link' | 'sso' | 'key' | 'invitation';
  userAgent: string | null;
  createdAt: Iso;
  expiresAt: Iso;
}

/** A sign-in with the OpenID provider under way: kept by the hash of its `state`, used once. */
export interface SsoAttempt {
  stateHash: string;
  /** The hash of the cookie that ties the attempt to the browser that began it. */
  browserHash: string;
  codeVerifier: string;
  nonce: string;
  /** Where the console goes once signed in (a hash route). */
  returnTo: string;
  expiresAt: Iso;
}

export interface TicketDraft {
  subject: string;
  description: string;
  priority: Priority;
  category?: Category | undefined;
}

/** A signed-in browser, stored by the hash of its cookie. */
export interface SessionRecord {
  sessionHash: string;
  role: Role;
  customerId: string | null;
  /** The contact a customer session belongs to (its requester when it files a ticket). */
  contactEmail: string | null;
  name: string;
  /** The API key an agent signed in with. */
  keyId: string | null;
  /** The staff member's account, and the id their session is listed by. */
  staffId?: string | null;
  listedAs?: StaffSessionRecord;
  createdAt: Iso;
  expiresAt: Iso;
}

export interface SessionStore {
  putLink(link: SignInLink): Promise<void>;
  /** The link, deleted in the same step: a second use, or one after `now` past its expiry, gets null. */
  consumeLink(tokenHash: string, now: Iso): Promise<SignInLink | null>;
  /** A staff member's session is listed under them too (`listedAs`), in the same write. */
  putSession(session: SessionRecord): Promise<void>;
  /** The live session at `now`, or null. */
  getSession(sessionHash: string, now: Iso): Promise<SessionRecord | null>;
  deleteSession(sessionHash: string): Promise<void>;
  /** A staff member's live sessions at `now`, newest first. */
  listStaffSessions(staffId: string, now: Iso): Promise<StaffSessionRecord[]>;
  /** Ends one listed session; false where there was none. */
  endStaffSession(staffId: string, id: string): Promise<boolean>;
  /** Ends every session of the person: how many. */
  endAllStaffSessions(staffId: string): Promise<number>;
  putSsoAttempt(attempt: SsoAttempt): Promise<void>;
  /** The attempt, deleted in the same step: null for a second use, an unknown or an expired one. */
  consumeSsoAttempt(stateHash: string, now: Iso): Promise<SsoAttempt | null>;
  /** Counts one attempt under `key` in its window; false once `limit` were counted in it. */
  countAttempt(key: string, window: string, limit: number, expiresAt: Iso): Promise<boolean>;
}

/** Time as the handlers see it: the system clock on AWS, possibly a virtual one locally. */
export interface Clock {
  now(): number;
}

/** Outbound HTTPS requests to other systems (SNS certificates, confirmations, webhooks). */
export interface WebClient {
  /** The body of a GET (at most 64 KB) of a 2xx answer; throws otherwise or after 5 s. */
  get(url: string): Promise<string>;
  /**
   * POSTs a body to a public address; the answer's status (redirects are not followed). Throws
   * on no answer within 10 s, and where the host is or resolves to an address not to send to.
   */
  post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number }>;
  /** Why a webhook URL's host is one not to send to (by name, or by what it resolves to now), else null. */
  refused(url: string): Promise<string | null>;
}

/** A Slack thread: the workspace, the channel and the top-level message's ts. */
export interface ChatThread {
  teamId: string;
  channelId: string;
  threadTs: string;
}

/** A Slack channel whose members' messages are a customer's requests. */
export interface ChannelLink {
  teamId: string;
  channelId: string;
  customerId: string;
  createdAt: Iso;
}

/** A customer's subscription: these events, signed with `secret`, POSTed to `url`. */
export interface WebhookRecord {
  id: string;
  customerId: string;
  url: string;
  events: WebhookEvent[];
  /** The signing secret (shown once, when created or rolled; stored for signing). */
  secret: string;
  /** During a rotation: the secret before, still signed with until `previousSecretUntil`. */
  previousSecret?: string | undefined;
  previousSecretUntil?: Iso | undefined;
  createdAt: Iso;
}

export type DeliveryTarget =
  | { type: 'webhook'; webhookId: string; url: string }
  | ({ type: 'chat' } & ChatThread);

/** One message to another system (a webhook event, a post into a Slack thread) and its attempts. */
export interface DeliveryRecord {
  id: string;
  customerId: string;
  ticketId: string;
  target: DeliveryTarget;
  /** The event's id (`evt_<ticket>_<seq>`), the same in every delivery of it. */
  eventId: string;
  /** `ping`: a test delivery asked for by an admin. */
  eventType: WebhookEvent | 'ping';
  /** The webhook's JSON body, or the chat message's text. */
  payload: string;
  createdAt: Iso;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  firstAttemptAt: Iso | null;
  lastAttemptAt: Iso | null;
  /** What the last failed attempt met (`HTTP 500`, a network error). */
  lastError: string | null;
  /** The last attempt's answer (its HTTP status; null without one) and how long it took. */
  lastStatus?: number | null;
  lastDurationMs?: number | null;
  version: number;
}

export interface IntegrationStore {
  putWebhook(webhook: WebhookRecord): Promise<void>;
  /** Writes it over the stored one if that one still has `secretBefore` (VersionConflict otherwise). */
  replaceWebhook(webhook: WebhookRecord, secretBefore: string): Promise<void>;
  listWebhooks(customerId: string): Promise<WebhookRecord[]>;
  /** False when there was none. */
  deleteWebhook(customerId: string, id: string): Promise<boolean>;
  /** Throws Duplicate when the channel is linked to another customer. */
  linkChannel(link: ChannelLink): Promise<void>;
  getChannel(teamId: string, channelId: string): Promise<ChannelLink | null>;
  listChannels(customerId: string): Promise<ChannelLink[]>;
  /** False when the channel was not linked to this customer. */
  unlinkChannel(customerId: string, teamId: string, channelId: string): Promise<boolean>;
  /** Remembers the ticket a thread opened (the same again is fine). */
  putThread(thread: ChatThread, ticketId: string): Promise<void>;
  getThread(thread: ChatThread): Promise<string | null>;
  /** Stores a new delivery; false when one with its id exists (published before). */
  addDelivery(delivery: DeliveryRecord): Promise<boolean>;
  getDelivery(customerId: string, id: string): Promise<DeliveryRecord | null>;
  /** Writes it if it is still at `expectedVersion` (VersionConflict otherwise). */
  updateDelivery(delivery: DeliveryRecord, expectedVersion: number): Promise<void>;
  /** A customer's failed deliveries, newest first, a page at a time. */
  listFailed(customerId: string, limit: number, cursor?: string): Promise<Page<DeliveryRecord>>;
  /** A webhook's deliveries of the last DELIVERY_DAYS, newest first, at most `limit`. */
  listDeliveries(customerId: string, webhookId: string, limit: number): Promise<DeliveryRecord[]>;
  /** Claims a once-only notice (a bank warning of a period): false when it was claimed before. */
  claimNotice(key: string, at: Iso): Promise<boolean>;
  /** Gives a claim back (its mail could not be sent: the next attempt sends it). */
  releaseNotice(key: string): Promise<void>;
}

/** Work done after an answer was sent: a delivery to try, a Slack event to file. */
export type Job =
  | { kind: 'deliver'; customerId: string; deliveryId: string }
  /** Time was logged: check the customer's support-hours bank as of `at`. */
  | { kind: 'bank-check'; customerId: string; at: Iso }
  | { kind: 'slack-event'; eventId: string; teamId: string; event: SlackMessage }
  /** Alerts of a large group, filed after the notification was answered (functions/app/alerts.ts). */
  | { kind: 'alerts'; customerId: string; events: AlertEvent[] };

/** The parts of a Slack `message` event the desk reads. */
export interface SlackMessage {
  channel: string;
  user: string;
  text: string;
  ts: string;
  threadTs: string | null;
  /** Files shared with the message (`file_share`), as the event describes them. */
  files?: SlackFile[];
}

/** A file shared in Slack: fetched with the bot token (`files:read`) from its private URL. */
export interface SlackFile {
  id: string;
  name: string;
  mimetype: string;
  size: number;
  url: string;
}

/** A queue of jobs, each run at least once (SQS on AWS). */
export interface JobQueue {
  send(job: Job): Promise<void>;
}

/** The Slack workspace, as the bot. */
export interface Chat {
  /** Posts into a thread (chat.postMessage). */
  post(thread: ChatThread, text: string): Promise<void>;
  /** A direct message from the bot to a member (chat.postMessage to their id). */
  direct(userId: string, text: string): Promise<void>;
  /** The member's e-mail address (users.info), or null where Slack shows none. */
  userEmail(teamId: string, userId: string): Promise<string | null>;
  /** A shared file's bytes, or null when it is gone or over `maxBytes`. */
  download(teamId: string, file: SlackFile, maxBytes: number): Promise<Uint8Array | null>;
}

/** Secrets the desk holds for other systems (Secrets Manager on AWS). */
export interface Secrets {
  /** The secret, or null where none is configured. */
  get(
    name:
      | 'slack-signing-secret'
      | 'slack-bot-token'
      | 'oidc-client-secret'
      | 'opsgenie-api-key'
      | 'opsgenie-webhook-token'
      | 'pagerduty-webhook-secret',
  ): Promise<string | null>;
}

/** A ticket as the search index holds it: the list row and the words it is found by. */
export interface SearchDocument extends ListedTicket {
  description: string;
  /** Public messages (customers find tickets by them), then internal notes (staff only). */
  publicText: string[];
  internalText: string[];
}

export interface TicketSearchQuery {
  /** Words to find (ranked; prefix and typo tolerant); none lists the filter's tickets in `sort`. */
  text?: string;
  /** A customer's search: their tickets only, public words only, no tags. */
  customerId?: string;
  filter: ViewFilter;
  viewer: Viewer;
  /** The list's order; with words and no sort, by relevance. */
  sort?: Sort;
  limit: number;
  /** The position of the last ticket of the previous page (opaque to callers). */
  after?: string;
}

export interface TicketSearchHit {
  ticket: ListedTicket;
  /** The index's words each hit matched (stems; what a page highlights): none without words. */
  terms: string[];
}

export interface TicketSearch {
  /** Adds or replaces these tickets' documents (a document older than the one held is ignored). */
  put(documents: SearchDocument[]): Promise<void>;
  search(
    query: TicketSearchQuery,
  ): Promise<{ items: TicketSearchHit[]; total: number; after: string | null }>;
  /** How many tickets each filter holds, for `viewer` (the side bar's counts). */
  count(filters: ViewFilter[], viewer: Viewer): Promise<number[]>;
  /** The tags in use, most used first, with how many tickets carry each. */
  tags(prefix: string, limit: number): Promise<{ tag: string; count: number }[]>;
  /** How many documents the index holds (0: never built). */
  size(): Promise<number>;
}

/** Who a saved view or macro belongs to: one person, a team, or everyone at the desk. */
export type SavedScope = 'personal' | 'team' | 'everyone';

export interface SavedView extends ViewDefinition {
  id: string;
  name: string;
  scope: SavedScope;
  /** The person (personal) or the team (team); null for everyone. */
  ownerId: string | null;
  createdBy: string;
  createdAt: Iso;
  version: number;
}

export interface MacroRecord {
  id: string;
  name: string;
  scope: 'personal' | 'everyone';
  ownerId: string | null;
  /** The reply it inserts (placeholders filled per ticket), public or an internal note. */
  reply: { body: string; internal: boolean } | null;
  changes: MacroChanges;
  createdBy: string;
  createdAt: Iso;
  version: number;
}

/** Saved views and macros: listed by owner (`person#id`, `team#id`, `everyone`), each capped. */
export interface SavedItems<T extends { id: string; version: number }> {
  list(owners: string[]): Promise<T[]>;
  /** Stores a new item; RuleViolation `too-many` when the owner has `max`. */
  create(owner: string, item: T, max: number): Promise<void>;
  /** Replaces it if still at `expectedVersion` (VersionConflict otherwise). */
  update(owner: string, item: T, expectedVersion: number): Promise<void>;
  remove(owner: string, id: string): Promise<void>;
}

export interface Deps {
  live: Live;
  liveStore: LiveStore;
  notifications: NotificationStore;
  pager: Pager;
  onCall: OnCallStore;
  search: TicketSearch;
  views: SavedItems<SavedView>;
  macros: SavedItems<MacroRecord>;
  web: WebClient;
  /** Public holidays of a region (tables prepared at build time); only plan storing reads them. */
  holidays: RegionHolidays;
  integrations: IntegrationStore;
  shared: SharedTickets;
  partners: Partners;
  reportQueue: ReportQueue;
  jobs: JobQueue;
  chat: Chat;
  secrets: Secrets;
  tickets: TicketStore;
  directory: Directory;
  staff: StaffDirectory;
  inbound: InboundStore;
  blobs: BlobStore;
  incidents: IncidentStore;
  reports: ReportStore;
  sessions: SessionStore;
  scheduler: Scheduler;
  mailer: Mailer;
  clock: Clock;
}
