// Views, tags and macros as pure rules: which tickets a view holds at an instant, the one
// total order every list pages in, how a tag is written, and a macro's placeholders.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, unknownPlaceholders } from '../../domain/macros';
import { changedTags, normalTag } from '../../domain/tags';
import {
  BUILT_IN_VIEWS,
  comparePositions,
  inView,
  type ListedTicket,
  positionOf,
  type Sort,
} from '../../domain/views';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const ticket = (over: Partial<ListedTicket> = {}): ListedTicket => ({
  id: 'TKT-A',
  customerId: 'CUS-1',
  customerName: 'Acme',
  requesterEmail: 'ann@acme.test',
  requesterName: 'Ann',
  subject: 'Down',
  status: 'open',
  priority: 'P2',
  category: null,
  tags: [],
  assigneeId: null,
  assigneeName: null,
  teamId: null,
  planId: 'p',
  createdAt: NOW - 3_600_000,
  updatedAt: NOW - 60_000,
  nextClock: 'update',
  nextWarningAt: null,
  nextDueAt: NOW + 30 * 60_000,
  breached: false,
  resolvedAt: null,
  version: 3,
  ...over,
});
const view = (id: string) => BUILT_IN_VIEWS.find((v) => v.id === id)!.filter;
const me = { now: NOW, staffId: 'STF-ME' };

describe('built-in views', () => {
  it.each([
    ['mine', { assigneeId: 'STF-ME' }, true],
    ['mine', { assigneeId: 'STF-OTHER' }, false],
    ['mine', { assigneeId: 'STF-ME', status: 'resolved' as const }, false],
    ['unassigned', {}, true],
    ['unassigned', { assigneeId: 'STF-ME' }, false],
    ['breaching', {}, true],
    ['breaching', { nextDueAt: NOW + 61 * 60_000 }, false],
    ['breaching', { nextDueAt: NOW - 1 }, false],
    ['breaching', { breached: true }, false],
    ['breaching', { status: 'pending-customer' as const, nextDueAt: null }, false],
    ['breached', { nextDueAt: NOW }, true],
    ['breached', { breached: true, nextDueAt: null }, true],
    ['breached', {}, false],
    ['waiting', { status: 'pending-customer' as const, nextDueAt: null }, true],
    ['resolved', { status: 'resolved' as const, resolvedAt: NOW - 6 * 86_400_000 }, true],
    ['resolved', { status: 'closed' as const, resolvedAt: NOW - 8 * 86_400_000 }, false],
    ['all', { status: 'closed' as const }, true],
  ])('%s holds a ticket with %o: %s', (id, over, expected) => {
    expect(inView(ticket(over), view(id), me)).toBe(expected);
  });

  it('gives a key without a person no tickets of its own', () => {
    expect(inView(ticket({ assigneeId: 'STF-ME' }), view('mine'), { now: NOW, staffId: null })).toBe(false);
  });

  it('needs every tag of a filter', () => {
    const t = ticket({ tags: ['vip', 'kiosk'] });
    expect(inView(t, { tags: ['vip'] }, me)).toBe(true);
    expect(inView(t, { tags: ['vip', 'other'] }, me)).toBe(false);
  });
});

describe('the order lists page in', () => {
  const arbitraryTicket = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    priority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const, 'P4' as const),
    nextDueAt: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
    assigneeName: fc.option(fc.constantFrom('Åsa', 'bo', 'Zed'), { nil: null }),
  });
  const sorts = fc.record({
    field: fc.constantFrom('due' as const, 'priority' as const, 'assignee' as const),
    direction: fc.constantFrom('asc' as const, 'desc' as const),
  });

  it('is total and consistent: sorting twice or from any start gives one order, nulls last', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(arbitraryTicket, { selector: (t) => t.id, maxLength: 30 }),
        sorts,
        (rows, sort: Sort) => {
          const tickets = rows.map((r) => ticket(r));
          const cmp = (a: ListedTicket, b: ListedTicket) =>
            comparePositions(positionOf(a, sort), positionOf(b, sort), sort);
          const once = [...tickets].sort(cmp);
          const twice = [...tickets].reverse().sort(cmp);
          expect(twice.map((t) => t.id)).toEqual(once.map((t) => t.id));
          for (let i = 1; i < once.length; i++) expect(cmp(once[i - 1]!, once[i]!)).toBeLessThan(0);
          const firstNull = once.findIndex((t) => positionOf(t, sort)[0] === null);
          if (firstNull >= 0)
            expect(once.slice(firstNull).every((t) => positionOf(t, sort)[0] === null)).toBe(true);
        },
      ),
    );
  });
});

describe('tags', () => {
  it.each([
    ['VIP Kund', 'vip-kund'],
    ['  kiosk  ', 'kiosk'],
    ['Größe', 'größe'],
    ['v1.2_beta', 'v1.2_beta'],
    ['-leading', null],
    ['<script>', null],
    ['', null],
    ['a'.repeat(41), null],
    ['🔥', null],
  ])('writes %j as %j', (input, expected) => {
    expect(normalTag(input)).toBe(expected);
  });

  it('adds and removes, each tag once in the order given', () => {
    expect(changedTags(['a', 'b'], ['c', 'a'], ['b'])).toEqual(['a', 'c']);
  });
});

describe('macro placeholders', () => {
  it('fills the known ones and names the unknown ones', () => {
    const text = 'Hi {{ requester.firstName }}, {{ticket.id}} — {{agent.shoeSize}}';
    expect(unknownPlaceholders(text)).toEqual(['agent.shoeSize']);
    const values = {
      'requester.firstName': 'Ann',
      'requester.name': 'Ann Berg',
      'customer.name': 'Acme',
      'ticket.id': 'TKT-1',
      'ticket.subject': 's',
      'ticket.nextDue': 'x',
      'agent.name': 'Bo',
      'agent.firstName': 'Bo',
    };
    expect(fillPlaceholders(text, values)).toBe('Hi Ann, TKT-1 — {{agent.shoeSize}}');
    // A value is inserted as written, never read as a placeholder again.
    expect(fillPlaceholders('{{ticket.subject}}', { ...values, 'ticket.subject': '{{agent.name}} $&' })).toBe(
      '{{agent.name}} $&',
    );
  });
});
