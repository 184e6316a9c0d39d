// What every use case shares: who is calling, fresh ids, ISO times.
import { randomBytes } from 'node:crypto';
import { Forbidden } from '../../domain/errors';
import type { Role } from '../../domain/ticket';

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** Set for customer keys: the only customer whose data the key may see. */
  customerId: string | null;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `TKT-7K3QF9M2XA`: a prefix and 10 Crockford base-32 characters (50 random bits). */
export function newId(prefix: string): string {
  const bytes = randomBytes(10);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31];
  return `${prefix}-${out}`;
}

export const iso = (t: number): string => new Date(t).toISOString();
export const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t));

export function requireRole(principal: Principal, roles: readonly Role[], what: string): void {
  if (!roles.includes(principal.role)) throw new Forbidden(`a ${principal.role} key cannot ${what}`);
}

/** Customers see their own customer only; for anyone else the id passes through. */
export function canSeeCustomer(principal: Principal, customerId: string): boolean {
  return principal.role !== 'customer' || principal.customerId === customerId;
}
