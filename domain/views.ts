// The agents' views: a ticket as the workbench lists it, the filters a view is made of, the
// built-in views (Zendesk's and Zammad's overviews), and the one order every list pages in.
// Pure: "now" and "who is asking" come in as arguments.
import type { ClockName, Priority } from './plans';
import { PRIORITIES } from './plans';
import type { Category, Status } from './ticket';
import { STATUSES } from './ticket';

/** A ticket as a list row and as the search index's document (times in ms). */
export interface ListedTicket {
  id: string;
  customerId: string;
  customerName: string;
  requesterEmail: string;
  requesterName: string;
  subject: string;
  status: Status;
  priority: Priority;
  category: Category | null;
  tags: string[];
  assigneeId: string | null;
  assigneeName: string | null;
  teamId: string | null;
  planId: string;
  createdAt: number;
  updatedAt: number;
  /** The running clock due soonest and when (null: none running, e.g. waiting on the customer). */
  nextClock: ClockName | null;
  nextDueAt: number | null;
  /** When that clock reaches its warning share (80 %), null with it. */
  nextWarningAt: number | null;
  breached: boolean;
  /** When it was last resolved or closed (null while open). */
  resolvedAt: number | null;
  /** The stored version it was read at: a newer document replaces an older one, never the reverse. */
  version: number;
}

export interface ViewFilter {
  statuses?: Status[];
  priorities?: Priority[];
  customerId?: string;
  /** A staff id, `me` (the viewer) or `none` (unassigned). */
  assignee?: string;
  teamId?: string;
  /** Tickets carrying every one of these tags. */
  tags?: string[];
  /** Any clock breached, or a running one past due at `now`. */
  breached?: boolean;
  /** A running clock due within this many minutes from now, not yet breached. */
  dueWithinMinutes?: number;
  /** Resolved or closed within this many days. */
  resolvedWithinDays?: number;
}

export const SORT_FIELDS = [
  'due',
  'updated',
  'created',
  'priority',
  'status',
  'customer',
  'requester',
  'subject',
  'assignee',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface Sort {
  field: SortField;
  direction: 'asc' | 'desc';
}

export interface ViewDefinition {
  filter: ViewFilter;
  sort: Sort;
}

export const OPEN_STATUSES: Status[] = ['new', 'open', 'pending-customer'];
const ACTIVE: Status[] = ['new', 'open'];

/** Caps: a person's own views, a team's or everyone's shared ones, tags per filter. */
export const MAX_OWN_VIEWS = 50;
export const MAX_SHARED_VIEWS = 100;
export const MAX_FILTER_TAGS = 10;
export const MAX_DUE_WITHIN_MINUTES = 7 * 24 * 60;
export const MAX_RESOLVED_WITHIN_DAYS = 366;

/** The views every agent has, in the order the side bar lists them. */
export const BUILT_IN_VIEWS: readonly ({ id: string; name: string } & ViewDefinition)[] = [
  {
    id: 'mine',
    name: 'My open tickets',
    filter: { assignee: 'me', statuses: OPEN_STATUSES },
    sort: { field: 'due', direction: 'asc' },
  },
  {
    id: 'unassigned',
    name: 'Unassigned',
    filter: { assignee: 'none', statuses: OPEN_STATUSES },
    sort: { field: 'due', direction: 'asc' },
  },
  {
    id: 'breaching',
    name: 'Breaching within the hour',
    filter: { dueWithinMinutes: 60, statuses: ACTIVE },
    sort: { field: 'due', direction: 'asc' },
  },
  {
    id: 'breached',
    name: 'Breached',
    filter: { breached: true, statuses: OPEN_STATUSES },
    sort: { field: 'due', direction: 'asc' },
  },
  {
    id: 'waiting',
    name: 'Waiting on the customer',
    filter: { statuses: ['pending-customer'] },
    sort: { field: 'updated', direction: 'asc' },
  },
  {
    id: 'resolved',
    name: 'Recently resolved',
    filter: { statuses: ['resolved', 'closed'], resolvedWithinDays: 7 },
    sort: { field: 'updated', direction: 'desc' },
  },
  { id: 'all', name: 'All tickets', filter: {}, sort: { field: 'updated', direction: 'desc' } },
];

export interface Viewer {
  now: number;
  /** The viewer's staff id (`assignee: me`); a key of a system has none and `me` matches nothing. */
  staffId: string | null;
}

/** Whether `ticket` belongs in a view with `filter`, for `viewer` at `viewer.now`. */
export function inView(ticket: ListedTicket, filter: ViewFilter, viewer: Viewer): boolean {
  const { now } = viewer;
  if (filter.statuses?.length && !filter.statuses.includes(ticket.status)) return false;
  if (filter.priorities?.length && !filter.priorities.includes(ticket.priority)) return false;
  if (filter.customerId && ticket.customerId !== filter.customerId) return false;
  if (filter.teamId && ticket.teamId !== filter.teamId) return false;
  if (filter.assignee === 'none' && ticket.assigneeId !== null) return false;
  if (filter.assignee === 'me' && (viewer.staffId === null || ticket.assigneeId !== viewer.staffId))
    return false;
  if (filter.assignee && filter.assignee !== 'me' && filter.assignee !== 'none')
    if (ticket.assigneeId !== filter.assignee) return false;
  if (filter.tags?.some((tag) => !ticket.tags.includes(tag))) return false;
  const overdue = ticket.nextDueAt !== null && ticket.nextDueAt <= now;
  if (filter.breached !== undefined && filter.breached !== (ticket.breached || overdue)) return false;
  if (filter.dueWithinMinutes !== undefined) {
    if (ticket.breached || ticket.nextDueAt === null || overdue) return false;
    if (ticket.nextDueAt > now + filter.dueWithinMinutes * 60_000) return false;
  }
  if (filter.resolvedWithinDays !== undefined) {
    if (ticket.resolvedAt === null || ticket.resolvedAt < now - filter.resolvedWithinDays * 86_400_000)
      return false;
  }
  return true;
}

const rank =
  <T>(order: readonly T[]) =>
  (value: T) =>
    order.indexOf(value);
const priorityRank = rank(PRIORITIES);
const statusRank = rank(STATUSES);

/** The value a list sorts by; nulls (no clock, no assignee) come last in either direction. */
export function sortValue(ticket: ListedTicket, field: SortField): string | number | null {
  switch (field) {
    case 'due':
      return ticket.nextDueAt;
    case 'updated':
      return ticket.updatedAt;
    case 'created':
      return ticket.createdAt;
    case 'priority':
      return priorityRank(ticket.priority);
    case 'status':
      return statusRank(ticket.status);
    case 'customer':
      return ticket.customerName.toLocaleLowerCase('en');
    case 'requester':
      return (ticket.requesterName || ticket.requesterEmail).toLocaleLowerCase('en');
    case 'subject':
      return ticket.subject.toLocaleLowerCase('en');
    case 'assignee':
      return ticket.assigneeName?.toLocaleLowerCase('en') ?? null;
  }
}

type Key = [string | number | null, string];

/** The position of a ticket in a sorted list: its value, then its id, so that the order is total. */
export const positionOf = (ticket: ListedTicket, sort: Sort): Key => [
  sortValue(ticket, sort.field),
  ticket.id,
];

/** Compares two positions in `sort`'s order (ids ascending break ties in both directions). */
export function comparePositions(a: Key, b: Key, sort: Sort): number {
  const [va, ia] = a;
  const [vb, ib] = b;
  if (va !== vb) {
    if (va === null) return 1;
    if (vb === null) return -1;
    const order = va < vb ? -1 : 1;
    return sort.direction === 'asc' ? order : -order;
  }
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
