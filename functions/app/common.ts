// What every use case shares: who is calling, fresh ids, ISO times.
import { randomBytes } from 'node:crypto';
import { Forbidden, RuleViolation } from '../../domain/errors';
import type { Role } from '../../domain/ticket';
import type { StaffRecord } from '../ports';

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** Set for customer keys: the only customer whose data the key may see. */
  customerId: string | null;
  /** Set for a contact's signed-in session: who files and writes as the customer. */
  contactEmail?: string | null;
  /** The staff member, for a person's session or key (a system's key has none). */
  staffId?: string | null;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `TKT-7K3QF9M2XA`: a prefix and 10 Crockford base-32 characters (50 random bits). */
export function newId(prefix: string): string {
  return idOf(prefix, randomBytes(10));
}

/** An id of the same shape from the first 10 of `bytes` (a digest: the same input, the same id). */
export function idOf(prefix: string, bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes.subarray(0, 10)) out += CROCKFORD[b & 31];
  return `${prefix}-${out}`;
}

export const iso = (t: number): string => new Date(t).toISOString();

/** At most `max` code points of `text`: never half of a surrogate pair (an emoji cut in two). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (let points = 0; points < max && end < text.length; points++) {
    end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  }
  return text.slice(0, end);
}

/** The customer's contact with this address (addresses compare without case), if any. */
export function contactOf<C extends { email: string }>(
  customer: { contacts: C[] } | null | undefined,
  email: string,
): C | undefined {
  const address = email.toLowerCase();
  return customer?.contacts.find((c) => c.email.toLowerCase() === address);
}

/** The name customers see for a ticket's assignee (records from before names were kept: from the address). */
export function assigneeName(ticket: {
  assignee: string | null;
  assigneeName?: string | null;
}): string | null {
  if (ticket.assignee === null) return null;
  return ticket.assigneeName ?? nameFromAddress(ticket.assignee);
}

/** `ann.lee@acme.test` → `Ann Lee`: the name shown for an address nobody named. */
export function nameFromAddress(address: string): string {
  const local = address.split('@')[0] ?? address;
  const words = local.split(/[._+-]+/).filter(Boolean);
  return words.length ? words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') : address;
}
export const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t));

/**
 * The person, where they are an active staff member; otherwise a 422 naming `field` (nobody,
 * an invitation not yet finished, a deactivated account).
 */
export function activeStaff(
  person: StaffRecord | null,
  who: string,
  field: string,
  code = 'unknown-staff',
  more = '',
): StaffRecord {
  if (person?.status !== 'active')
    throw new RuleViolation(code, `${who} is not an active staff member${more}`, field);
  return person;
}

export function requireRole(principal: Principal, roles: readonly Role[], what: string): void {
  if (!roles.includes(principal.role)) throw new Forbidden(`a ${principal.role} key cannot ${what}`);
}

/** The staff member behind a person's session or key (`what` they do); a system's key has none (422). */
export function personOf(principal: Principal, what: string): string {
  requireRole(principal, ['admin', 'agent'], what);
  if (!principal.staffId)
    throw new RuleViolation(
      'no-person',
      `a system’s key cannot ${what}: sign in as a person`,
      'authorization',
    );
  return principal.staffId;
}

/** Customers see their own customer only; for anyone else the id passes through. */
export function canSeeCustomer(principal: Principal, customerId: string): boolean {
  return principal.role !== 'customer' || principal.customerId === customerId;
}

/**
 * What a warm function keeps for `ms` after reading it (at most `max` keys): `get` loads a key
 * once in that time (a failed load is not kept), `forget` drops it after this container wrote it.
 */
export function shortLived<T>(ms: number, max = 5_000) {
  const held = new Map<string, { value: Promise<T>; until: number }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const cached = held.get(key);
      if (cached && cached.until > Date.now()) return cached.value;
      const value = load();
      if (held.size >= max) held.clear();
      held.set(key, { value, until: Date.now() + ms });
      value.catch(() => held.delete(key));
      return value;
    },
    forget: (key: string): void => void held.delete(key),
  };
}
