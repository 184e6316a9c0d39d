// Notifications (domain/notifications.ts), made from what a write stored, when it is published
// (the tickets stream on AWS): the customer replied, assigned to you, a clock at 80 % or
// breached, paged. They go to the ticket's assignee and watchers (for "assigned" and "paged",
// the person concerned), never to whoever caused them; each is stored once per entry and
// person, and only then mailed or paged, so a retried publish notifies once.

import { MAX_NOTIFICATIONS, MAX_WATCHERS, type NotificationKind, notifyBy } from '../../domain/notifications';
import { escapeHtml } from '../../domain/text';
import { config, portalAt } from '../config';
import { errorFields, logger } from '../observability';
import type { Deps, NotificationRecord, StaffRecord, TicketRecord, TimelineEntry } from '../ports';
import { iso, type Principal, personOf, requireRole } from './common';
import { pageeOf, personalService } from './paging';
import { loadTicket } from './ticket-writes';

interface Made {
  kind: NotificationKind;
  text: string;
  /** Who hears of it: null for the assignee and watchers. */
  to: string[] | null;
}

/** What an entry tells people, or null. */
function madeOf(ticket: TicketRecord, e: TimelineEntry): Made | null {
  const about = `${ticket.id}: ${ticket.subject}`.slice(0, 300);
  if (e.type === 'message' && e.author === 'customer' && !e.internal)
    return {
      kind: 'customer-replied',
      text: `${e.actor?.name ?? 'The customer'} replied on ${about}`,
      to: null,
    };
  if (e.type === 'assignee' && e.toId)
    return { kind: 'assigned', text: `Assigned to you: ${about}`, to: [e.toId] };
  if (e.type === 'warning')
    return { kind: 'warning', text: `The ${e.clock} clock is at 80 % on ${about}`, to: null };
  if (e.type === 'breach')
    return { kind: 'breach', text: `The ${e.clock} clock breached on ${about}`, to: null };
  if (e.type === 'page' && e.by === 'page' && e.to)
    return {
      kind: 'paged',
      text: `You were paged (${e.recipient.replace('-', ' ')}) for ${about}`,
      to: [e.to.staffId],
    };
  return null;
}

/** Stores, mails and pages what the entries tell people. Failures are logged: they never hold up a publish. */
export async function notify(
  deps: Deps,
  ticket: TicketRecord,
  entries: readonly TimelineEntry[],
): Promise<number> {
  const made = entries.flatMap((e) => {
    const m = madeOf(ticket, e);
    return m ? [{ ...m, entry: e }] : [];
  });
  if (!made.length) return 0;
  const everyone = new Map((await deps.staff.listStaff()).map((p) => [p.id, p]));
  const watching = made.some((m) => m.to === null) ? await deps.tickets.watchers(ticket.id) : [];
  let sent = 0;
  for (const m of made) {
    const ids = m.to ?? [...new Set([...(ticket.assigneeId ? [ticket.assigneeId] : []), ...watching])];
    for (const id of ids) {
      const person = everyone.get(id);
      if (person?.status !== 'active' || person.id === m.entry.actor?.staffId) continue;
      try {
        if (await deliver(deps, person, ticket, m, m.entry)) sent++;
      } catch (error) {
        logger.error('a notification was not delivered', {
          ticketId: ticket.id,
          staffId: id,
          ...errorFields(error),
        });
      }
    }
  }
  return sent;
}

async function deliver(
  deps: Deps,
  person: StaffRecord,
  ticket: TicketRecord,
  m: Made,
  entry: TimelineEntry,
): Promise<boolean> {
  const at = Date.parse(entry.at);
  const record: NotificationRecord = {
    id: `${ticket.id}.${entry.seq}`,
    staffId: person.id,
    kind: m.kind,
    ticketId: ticket.id,
    text: m.text,
    at: entry.at,
    readAt: null,
  };
  if (!(await deps.notifications.add(record))) return false; // told once already
  const by = notifyBy(person.notifications, m.kind, at);
  const ticketUrl = portalAt(config(), `/#/tickets/${ticket.id}`);
  if (by.includes('mail'))
    await deps.mailer.send({
      to: [person.email],
      subject: m.text.slice(0, 200),
      text: `${m.text}\n${ticketUrl}\n\nYour notification settings: ${portalAt(config(), `/#/staff/${person.id}`)}\n`,
      html: `<p>${escapeHtml(m.text)}</p><p><a href="${escapeHtml(ticketUrl)}">Open ${escapeHtml(ticket.id)}</a></p>`,
      messageId: `<note.${record.id}.${person.id}@${config().MAIL_DOMAIN}>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  if (by.includes('page'))
    await deps.pager.page({
      pageId: `NOTE-${record.id}`,
      ticketId: ticket.id,
      dedupKey: `${ticket.id}/note/${entry.seq}`,
      service: personalService(person),
      via: { kind: 'desk' },
      to: pageeOf(person),
      summary: m.text,
      severity: m.kind === 'breach' ? 'error' : 'warning',
      ackUrl: ticketUrl,
      ticketUrl,
    });
  return true;
}

/** The signed-in person's notifications, newest first, and how many are unread. */
export async function myNotifications(deps: Deps, principal: Principal) {
  const staffId = personOf(principal, 'have notifications');
  const items = await deps.notifications.list(staffId, MAX_NOTIFICATIONS);
  return { items, unread: items.filter((n) => n.readAt === null).length };
}

/** Marks the person's notifications read: these, or all. */
export async function markRead(deps: Deps, principal: Principal, ids: string[] | null): Promise<number> {
  return deps.notifications.markRead(personOf(principal, 'have notifications'), ids, iso(deps.clock.now()));
}

/** The signed-in person watches (or stops watching) a ticket. */
export async function watchTicket(deps: Deps, principal: Principal, ticketId: string, on: boolean) {
  const staffId = personOf(principal, 'have notifications');
  await loadTicket(deps, ticketId, principal); // 404 for a ticket they cannot see
  await deps.tickets.watch(ticketId, staffId, on);
  return watchersOf(deps, principal, ticketId);
}

/** Who watches a ticket, and whether the signed-in person does. */
export async function watchersOf(deps: Deps, principal: Principal, ticketId: string) {
  requireRole(principal, ['admin', 'agent'], 'see who watches a ticket');
  const watchers = await deps.tickets.watchers(ticketId);
  return {
    watching: principal.staffId ? watchers.includes(principal.staffId) : false,
    watchers,
    max: MAX_WATCHERS,
  };
}
