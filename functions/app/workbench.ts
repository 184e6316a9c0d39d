// The agents' tools for many tickets: saved views (a person's, a team's, everyone's), macros
// (field changes and a reply with placeholders), and bulk changes where each ticket keeps its
// own version check and clocks, and a failure names the ticket and why.
import { foldClocks, nextDue } from '../../domain/clocks';
import { Forbidden, NotFound, RuleViolation } from '../../domain/errors';
import {
  fillPlaceholders,
  firstName,
  MAX_MACROS_PER_OWNER,
  MAX_SHARED_MACROS,
  type MacroChanges,
  type Placeholder,
  unknownPlaceholders,
} from '../../domain/macros';
import { MAX_OWN_VIEWS, MAX_SHARED_VIEWS, type ViewDefinition } from '../../domain/views';
import type { Deps, MacroRecord, SavedScope, SavedView } from '../ports';
import { contactOf, iso, newId, type Principal, requireRole } from './common';
import { localTime } from './mail';
import { historyOf, loadTicket, revisionOf } from './ticket-writes';
import { changeStatus, getTicket, patchTicket, postMessage, type TicketView } from './tickets';

const STAFF = ['admin', 'agent'] as const;

const ownerKey = (scope: SavedScope | 'everyone', ownerId: string | null) =>
  scope === 'personal' ? `person#${ownerId}` : scope === 'team' ? `team#${ownerId}` : 'everyone';

/** The owners whose saved things a caller sees: themselves, their teams, everyone. */
async function ownersOf(deps: Deps, principal: Principal): Promise<string[]> {
  const person = principal.staffId ? await deps.staff.getStaff(principal.staffId) : null;
  if (!person) return ['everyone'];
  return [`person#${person.id}`, ...person.teams.map((t) => `team#${t}`), 'everyone'];
}

function personOf(principal: Principal, what: string): string {
  if (!principal.staffId)
    throw new RuleViolation(
      'no-person',
      `this key belongs to a system, not a person: it cannot ${what}`,
      'scope',
    );
  return principal.staffId;
}

export async function viewsOf(deps: Deps, principal: Principal): Promise<SavedView[]> {
  requireRole(principal, STAFF, 'use views');
  const views = await deps.views.list(await ownersOf(deps, principal));
  return views.sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

export interface ViewInput extends ViewDefinition {
  name: string;
  scope: SavedScope;
  teamId?: string | undefined;
}

/** Who may write a view with this scope: its person; a team's members and admins; admins for everyone. */
async function viewOwner(deps: Deps, principal: Principal, scope: SavedScope, teamId: string | undefined) {
  if (scope === 'personal') return personOf(principal, 'keep views of its own');
  if (scope === 'everyone') {
    requireRole(principal, ['admin'], 'share a view with everyone');
    return null;
  }
  if (!teamId) throw new RuleViolation('team-required', 'a team’s view names its teamId', 'teamId');
  if (!(await deps.staff.listTeams()).some((t) => t.id === teamId))
    throw new RuleViolation('unknown-team', `team ${teamId} does not exist`, 'teamId');
  if (principal.role !== 'admin') {
    const person = await deps.staff.getStaff(personOf(principal, 'share views'));
    if (!person?.teams.includes(teamId)) throw new Forbidden('only the team’s members share views with it');
  }
  return teamId;
}

export async function saveView(deps: Deps, principal: Principal, input: ViewInput): Promise<SavedView> {
  requireRole(principal, STAFF, 'save views');
  const ownerId = await viewOwner(deps, principal, input.scope, input.teamId);
  const view: SavedView = {
    id: newId('VEW'),
    name: input.name,
    scope: input.scope,
    ownerId,
    filter: input.filter,
    sort: input.sort,
    createdBy: principal.staffId ?? principal.keyId,
    createdAt: iso(deps.clock.now()),
    version: 1,
  };
  const max = input.scope === 'personal' ? MAX_OWN_VIEWS : MAX_SHARED_VIEWS;
  await deps.views.create(ownerKey(view.scope, ownerId), view, max);
  return view;
}

async function ownView(deps: Deps, principal: Principal, id: string): Promise<SavedView> {
  const view = (await viewsOf(deps, principal)).find((v) => v.id === id);
  if (!view) throw new NotFound('view', id);
  await viewOwner(deps, principal, view.scope, view.ownerId ?? undefined);
  return view;
}

export async function updateView(
  deps: Deps,
  principal: Principal,
  id: string,
  input: Partial<Pick<SavedView, 'name' | 'filter' | 'sort'>>,
  expectedVersion?: number,
): Promise<SavedView> {
  const view = await ownView(deps, principal, id);
  const version = expectedVersion ?? view.version;
  const updated = { ...view, ...input, version: version + 1 };
  await deps.views.update(ownerKey(view.scope, view.ownerId), updated, version);
  return updated;
}

export async function deleteView(deps: Deps, principal: Principal, id: string): Promise<void> {
  const view = await ownView(deps, principal, id);
  await deps.views.remove(ownerKey(view.scope, view.ownerId), id);
}

// ---- Macros ----

export async function macrosOf(deps: Deps, principal: Principal): Promise<MacroRecord[]> {
  requireRole(principal, STAFF, 'use macros');
  const owners = principal.staffId ? [`person#${principal.staffId}`, 'everyone'] : ['everyone'];
  const macros = await deps.macros.list(owners);
  return macros.sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

export type MacroInput = Pick<MacroRecord, 'name' | 'scope' | 'reply' | 'changes'>;

function checkMacro(input: Partial<MacroInput>): void {
  const unknown = input.reply ? unknownPlaceholders(input.reply.body) : [];
  if (unknown.length)
    throw new RuleViolation(
      'unknown-placeholder',
      `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}`,
      'reply.body',
    );
}

function macroOwner(principal: Principal, scope: MacroRecord['scope']): string | null {
  if (scope === 'everyone') {
    requireRole(principal, ['admin'], 'define shared macros');
    return null;
  }
  return personOf(principal, 'keep macros of its own');
}

export async function createMacro(deps: Deps, principal: Principal, input: MacroInput): Promise<MacroRecord> {
  requireRole(principal, STAFF, 'define macros');
  checkMacro(input);
  const ownerId = macroOwner(principal, input.scope);
  const macro: MacroRecord = {
    id: newId('MAC'),
    ...input,
    ownerId,
    createdBy: principal.staffId ?? principal.keyId,
    createdAt: iso(deps.clock.now()),
    version: 1,
  };
  const max = input.scope === 'everyone' ? MAX_SHARED_MACROS : MAX_MACROS_PER_OWNER;
  await deps.macros.create(ownerKey(input.scope, ownerId), macro, max);
  return macro;
}

async function macroOf(deps: Deps, principal: Principal, id: string): Promise<MacroRecord> {
  const macro = (await macrosOf(deps, principal)).find((m) => m.id === id);
  if (!macro) throw new NotFound('macro', id);
  return macro;
}

export async function updateMacro(
  deps: Deps,
  principal: Principal,
  id: string,
  input: Partial<Omit<MacroInput, 'scope'>>,
  expectedVersion?: number,
): Promise<MacroRecord> {
  const macro = await macroOf(deps, principal, id);
  macroOwner(principal, macro.scope);
  checkMacro(input);
  const version = expectedVersion ?? macro.version;
  const updated = { ...macro, ...input, version: version + 1 };
  await deps.macros.update(ownerKey(macro.scope, macro.ownerId), updated, version);
  return updated;
}

export async function deleteMacro(deps: Deps, principal: Principal, id: string): Promise<void> {
  const macro = await macroOf(deps, principal, id);
  macroOwner(principal, macro.scope);
  await deps.macros.remove(ownerKey(macro.scope, macro.ownerId), id);
}

/** The macro's reply for one ticket, its placeholders filled, and the changes it would make. */
export async function previewMacro(deps: Deps, principal: Principal, macroId: string, ticketId: string) {
  const macro = await macroOf(deps, principal, macroId);
  const { ticket, timeline, plan } = await loadTicket(deps, ticketId, principal);
  const [customer, agent] = await Promise.all([
    deps.directory.getCustomer(ticket.customerId),
    principal.staffId ? deps.staff.getStaff(principal.staffId) : null,
  ]);
  const contact = contactOf(customer, ticket.requesterEmail);
  const next = nextDue(foldClocks(plan, historyOf(timeline), deps.clock.now()));
  const agentName = agent?.name ?? principal.name;
  const values: Record<Placeholder, string> = {
    'requester.firstName': contact ? firstName(contact.name) : ticket.requesterEmail,
    'requester.name': contact?.name ?? ticket.requesterEmail,
    'customer.name': customer?.name ?? ticket.customerId,
    'ticket.id': ticket.id,
    'ticket.subject': ticket.subject,
    'ticket.nextDue': next ? `${next.clock} due ${localTime(plan, ticket, next.dueAt!)}` : 'no clock running',
    'agent.name': agentName,
    'agent.firstName': firstName(agentName),
  };
  return {
    macro,
    reply: macro.reply ? { ...macro.reply, body: fillPlaceholders(macro.reply.body, values) } : null,
    changes: macro.changes,
    ticketVersion: revisionOf(ticket),
  };
}

export type BulkChanges = MacroChanges & { teamId?: string | null };

/** One ticket's share of a bulk change or a macro: fields, then status, then the reply. */
async function applyChanges(
  deps: Deps,
  principal: Principal,
  ticketId: string,
  changes: BulkChanges,
  reply: { body: string; internal: boolean } | null,
  expectedVersion?: number,
): Promise<TicketView> {
  let pinned = expectedVersion;
  const pin = () => {
    const v = pinned;
    pinned = undefined;
    return v;
  };
  const assigneeId =
    changes.assignee === 'me' ? personOf(principal, 'be assigned tickets') : changes.assignee;
  const needsPatch =
    assigneeId !== undefined ||
    changes.priority !== undefined ||
    changes.category !== undefined ||
    changes.teamId !== undefined ||
    changes.addTags?.length ||
    changes.removeTags?.length;
  let view: TicketView | null = null;
  if (needsPatch) {
    view = await patchTicket(
      deps,
      principal,
      ticketId,
      {
        ...(assigneeId !== undefined ? { assigneeId } : {}),
        ...(changes.priority ? { priority: changes.priority } : {}),
        ...(changes.category !== undefined ? { category: changes.category } : {}),
        ...(changes.teamId !== undefined ? { teamId: changes.teamId } : {}),
        ...(changes.addTags ? { addTags: changes.addTags } : {}),
        ...(changes.removeTags ? { removeTags: changes.removeTags } : {}),
      },
      pin(),
    );
  }
  const status = changes.status;
  if (status && (view?.ticket ?? (await loadTicket(deps, ticketId, principal)).ticket).status !== status)
    view = await changeStatus(deps, principal, ticketId, status, pin());
  if (reply?.body.trim()) view = await postMessage(deps, principal, ticketId, reply, pin());
  return view ?? getTicket(deps, principal, ticketId);
}

export async function applyMacro(
  deps: Deps,
  principal: Principal,
  ticketId: string,
  macroId: string,
  expectedVersion?: number,
): Promise<TicketView> {
  const preview = await previewMacro(deps, principal, macroId, ticketId);
  return applyChanges(deps, principal, ticketId, preview.changes, preview.reply, expectedVersion);
}

export const MAX_BULK = 100;
/** Tickets changed at once; each is its own write, so a few in flight keep the store busy without a burst. */
const BULK_CONCURRENCY = 4;

export type BulkResult =
  | { id: string; ok: true; version: number }
  | { id: string; ok: false; error: { code: string; message: string } };

export async function bulkChange(
  deps: Deps,
  principal: Principal,
  input: { ids: string[]; changes: BulkChanges; macroId?: string | undefined },
  errorOf: (error: unknown) => { code: string; message: string },
): Promise<BulkResult[]> {
  requireRole(principal, STAFF, 'change tickets in bulk');
  const ids = [...new Set(input.ids)];
  if (input.macroId) await macroOf(deps, principal, input.macroId);
  const results: BulkResult[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const id = ids[i]!;
      try {
        let view = await applyChanges(deps, principal, id, input.changes, null);
        if (input.macroId) view = await applyMacro(deps, principal, id, input.macroId);
        results[i] = { id, ok: true, version: revisionOf(view.ticket) };
      } catch (error) {
        results[i] = { id, ok: false, error: errorOf(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, ids.length) }, worker));
  return results;
}
