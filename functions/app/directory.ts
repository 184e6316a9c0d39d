// Plans, customers and API keys: who the desk serves, on which terms, and who may call it.

import { createHash, randomBytes } from 'node:crypto';
import { Contract, type Device } from '../../domain/billing';
import { Duplicate, NotFound, RuleViolation, VersionConflict } from '../../domain/errors';
import { MAX_DEVICES, type Plan } from '../../domain/plans';
import { MAX_KEY_DAYS } from '../../domain/staff';
import type { Role } from '../../domain/ticket';
import type { ApiKeyRecord, CustomerRecord, Deps, KeyOwner, Page, StaffRecord } from '../ports';
import { activeStaff, canSeeCustomer, iso, newId, type Principal, requireRole } from './common';
import { forgetCustomer } from './ticket-writes';

export async function getPlan(deps: Deps, id: string): Promise<Plan> {
  const plan = await deps.directory.getPlan(id);
  if (!plan) throw new NotFound('plan', id);
  return plan;
}

export async function createCustomer(
  deps: Deps,
  principal: Principal,
  input: {
    name: string;
    planId: string;
    contacts: { email: string; name: string; mayOpenTickets?: boolean | undefined }[];
    contract?: Partial<Contract> | undefined;
  },
): Promise<CustomerRecord> {
  requireRole(principal, ['admin'], 'create customers');
  const plan = await deps.directory.getPlan(input.planId);
  if (!plan) throw new RuleViolation('unknown-plan', `plan ${input.planId} does not exist`, 'planId');
  const emails = input.contacts.map((c) => c.email.toLowerCase());
  const repeated = emails.find((e, i) => emails.indexOf(e) !== i);
  if (repeated) throw new Duplicate('contact', 'email', repeated);
  const staffAt = (await Promise.all(emails.map((e) => deps.staff.staffByEmail(e)))).findIndex(Boolean);
  if (staffAt >= 0)
    throw new RuleViolation(
      'staff-address',
      `${emails[staffAt]} belongs to a staff member; a staff member cannot also be a customer's contact`,
      `contacts.${staffAt}.email`,
    );
  const contacts = input.contacts.map((c) => ({
    email: c.email,
    name: c.name,
    mayOpenTickets: c.mayOpenTickets ?? true,
  }));
  const seated = contacts.filter((c) => c.mayOpenTickets).length;
  if (plan.seats !== null && seated > plan.seats) {
    throw new RuleViolation(
      'seats-exceeded',
      `plan ${plan.id} includes ${plan.seats} seat(s) but ${seated} contacts would open tickets; ` +
        'set mayOpenTickets: false on the others',
      'contacts',
    );
  }
  const createdAt = iso(deps.clock.now());
  const customer: CustomerRecord = {
    id: newId('CUS'),
    name: input.name,
    planId: plan.id,
    contacts,
    contract: Contract.parse(input.contract ?? {}),
    deviceCount: 0,
    createdAt,
    version: 1,
  };
  await deps.directory.createCustomer(customer);
  return customer;
}

export async function getCustomer(deps: Deps, principal: Principal, id: string): Promise<CustomerRecord> {
  const customer = canSeeCustomer(principal, id) ? await deps.directory.getCustomer(id) : null;
  if (!customer) throw new NotFound('customer', id);
  return customer;
}

/**
 * Names (or, with null, removes) the customer's support manager: an agent, on a plan that
 * includes one. Written only if the customer is still at `expectedVersion` where one is given.
 */
export async function setSupportManager(
  deps: Deps,
  principal: Principal,
  id: string,
  manager: { staffId: string } | null,
  expectedVersion?: number,
): Promise<CustomerRecord> {
  requireRole(principal, ['admin'], 'name support managers');
  const person =
    manager &&
    activeStaff(await deps.staff.getStaff(manager.staffId), manager.staffId, 'supportManager.staffId');
  const customer = await getCustomer(deps, principal, id);
  if (expectedVersion !== undefined && customer.version !== expectedVersion)
    throw new VersionConflict('customer', id, expectedVersion, customer.version);
  const plan = await getPlan(deps, customer.planId);
  if (manager && !plan.supportManager) {
    throw new RuleViolation(
      'no-support-manager',
      `plan ${plan.id} includes no dedicated support manager`,
      'supportManager',
    );
  }
  const next: CustomerRecord = {
    ...customer,
    supportManager: person && { staffId: person.id, email: person.email, name: person.name },
    version: customer.version + 1,
  };
  await deps.directory.updateCustomer(next, customer.version);
  forgetCustomer(customer.id);
  return next;
}

/** Registers a device; devices beyond the plan's allowance are billed as extras. */
/** How long a registration retries a conflict (the HTTP function runs for up to 29 s). */
const DEVICE_RETRY_MS = 20_000;

export async function addDevice(
  deps: Deps,
  principal: Principal,
  customerId: string,
  name: string,
): Promise<Device> {
  // Concurrent registrations conflict on the customer's version (each conflict is another's
  // success); each retry reads afresh after a wait with full jitter, doubling to a second, for as
  // long as DEVICE_RETRY_MS: a caller who sent no version never sees the race as a 409.
  const until = Date.now() + DEVICE_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    const customer = await getCustomer(deps, principal, customerId);
    const count = customer.deviceCount ?? 0;
    if (count >= MAX_DEVICES) {
      throw new RuleViolation(
        'too-many-devices',
        `customer ${customerId} has ${count} devices, the most one customer may register`,
        'name',
      );
    }
    const device: Device = { id: newId('DEV'), seq: count + 1, name, registeredAt: iso(deps.clock.now()) };
    try {
      await deps.directory.addDevice(customer, device);
      return device;
    } catch (error) {
      if (!(error instanceof VersionConflict) || Date.now() >= until) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 10 * 2 ** attempt)));
    }
  }
}

/** A customer's devices in registration order, a page at a time. */
export async function listDevices(
  deps: Deps,
  principal: Principal,
  customerId: string,
  limit: number,
  cursor?: string,
): Promise<Page<Device>> {
  await getCustomer(deps, principal, customerId); // 404 for a customer the caller may not see
  return deps.directory.listDevices(customerId, limit, cursor);
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new API key; the key itself is returned once and only its hash is stored. */
export async function createApiKey(
  deps: Deps,
  principal: Principal | null,
  input: {
    role: Role;
    customerId?: string | undefined;
    name: string;
    scope?: 'alerts';
    /** A person (staff id) or a named system; a staff key is the caller's own unless said. */
    owner?: { staffId: string } | { integration: string } | undefined;
    expiresAt?: string | null | undefined;
  },
  key = `sla_${randomBytes(24).toString('base64url')}`,
): Promise<ApiKeyRecord & { key: string }> {
  if (principal) requireRole(principal, ['admin'], 'create API keys');
  if (input.role === 'customer') {
    if (!input.customerId)
      throw new RuleViolation('customer-required', 'a customer key needs a customerId', 'customerId');
    if (!(await deps.directory.getCustomer(input.customerId))) {
      throw new RuleViolation(
        'unknown-customer',
        `customer ${input.customerId} does not exist`,
        'customerId',
      );
    }
  } else if (input.customerId) {
    throw new RuleViolation(
      'customer-not-allowed',
      `an ${input.role} key is not bound to a customer`,
      'customerId',
    );
  }
  const now = deps.clock.now();
  if (input.expiresAt) {
    const at = Date.parse(input.expiresAt);
    if (at <= now) throw new RuleViolation('expiry-past', 'a key must expire in the future', 'expiresAt');
    if (at > now + MAX_KEY_DAYS * 86_400_000)
      throw new RuleViolation('expiry-too-far', `a key lives ${MAX_KEY_DAYS} days at most`, 'expiresAt');
  }
  const record: ApiKeyRecord = {
    id: newId('KEY'),
    hash: hashKey(key),
    role: input.role,
    customerId: input.customerId ?? null,
    name: input.name,
    createdAt: iso(now),
    ...(input.scope ? { scope: input.scope } : {}),
    owner: await keyOwner(deps, input),
    expiresAt: input.expiresAt ? iso(Date.parse(input.expiresAt)) : null,
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.directory.putApiKey(record);
  return { ...record, key };
}

/**
 * Who answers for a new key: the person named (active staff, whose role it may not exceed), or
 * a system (by default the key's name: an admin's key is for a machine unless it names a person).
 */
async function keyOwner(
  deps: Deps,
  input: { role: Role; name: string; owner?: { staffId: string } | { integration: string } | undefined },
): Promise<KeyOwner> {
  const owner = input.owner ?? { integration: input.name };
  if (!('staffId' in owner)) return owner;
  const person = activeStaff(
    await deps.staff.getStaff(owner.staffId),
    owner.staffId,
    'owner.staffId',
    'unknown-owner',
  );
  if (input.role === 'customer')
    throw new RuleViolation(
      'owner-not-allowed',
      'a customer key belongs to a system, not to a staff member',
      'owner',
    );
  if (input.role === 'admin' && person.role !== 'admin')
    throw new RuleViolation(
      'role-exceeds-owner',
      `${person.name} is an agent: their keys are agent keys`,
      'role',
    );
  return { staffId: person.id, name: person.name };
}

// Keys are looked up every 10 seconds at most per warm container: a revoked key, or one of a
// deactivated person, stops at once where it was revoked and within 10 s everywhere else.
const KEY_CACHE_MS = 10_000;
/** A key's use is written once a minute at most. */
const TOUCH_MS = 60_000;
const keyCache = new Map<string, { principal: Principal | null; until: number }>();

/** Drops cached keys, so that a revocation holds at once in this container. */
export function forgetKeys(): void {
  keyCache.clear();
}

/** The key of `Authorization: Bearer <key>`, or null when the header has none. */
export function bearerKey(header: string | undefined): string | null {
  return /^Bearer\s+(\S{8,200})$/i.exec(header ?? '')?.[1] ?? null;
}

/** Whether a caller could send this key: 8-200 characters, none of them white space. */
export const isSendableKey = (key: string): boolean => bearerKey(`Bearer ${key}`) === key;

/** The caller behind a bearer key, or null for an unknown, revoked or expired key, or one of a deactivated person. */
export async function authenticate(deps: Deps, key: string): Promise<Principal | null> {
  const hash = hashKey(key);
  const now = Date.now();
  const cached = keyCache.get(hash);
  if (cached && cached.until > now) return cached.principal;
  const record = await deps.directory.getApiKey(hash);
  const principal = record ? await keyPrincipal(deps, record) : null;
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(hash, { principal, until: now + (principal ? KEY_CACHE_MS : 5_000) });
  return principal;
}

async function keyPrincipal(deps: Deps, record: ApiKeyRecord): Promise<Principal | null> {
  const at = deps.clock.now();
  // A monitoring key opens no other route: it sits in Alertmanager's config and SNS URLs.
  if (record.scope || record.revokedAt || (record.expiresAt && Date.parse(record.expiresAt) <= at))
    return null;
  const owner = record.owner;
  let person: StaffRecord | null = null;
  if (owner && 'staffId' in owner) {
    person = await deps.staff.getStaff(owner.staffId);
    if (person?.status !== 'active') return null;
  }
  if (!record.lastUsedAt || Date.parse(record.lastUsedAt) < at - TOUCH_MS)
    await deps.directory.touchApiKey(record.hash, iso(at), iso(at - TOUCH_MS));
  return {
    keyId: record.id,
    name: person?.name ?? record.name,
    // A person's key never does more than the person may now.
    role: person && record.role === 'admin' ? person.role : record.role,
    customerId: record.customerId,
    staffId: person?.id ?? null,
  };
}

/** The customer a monitoring key belongs to, or null for any other key. */
export async function alertKeyCustomer(
  deps: Deps,
  key: string,
): Promise<{ customerId: string; keyId: string } | null> {
  const record = await deps.directory.getApiKey(hashKey(key));
  return record?.scope === 'alerts' && record.customerId
    ? { customerId: record.customerId, keyId: record.id }
    : null;
}

/** A customer's monitoring key, for POST /integrations/alerts only; its plan must take monitoring. */
export async function createAlertKey(deps: Deps, principal: Principal, customerId: string, name: string) {
  requireRole(principal, ['admin'], 'create monitoring keys');
  const customer = await getCustomer(deps, principal, customerId);
  const plan = await deps.directory.getPlan(customer.planId);
  if (!plan?.channels.includes('monitoring')) {
    throw new RuleViolation(
      'channel-not-included',
      `plan ${customer.planId} does not take tickets from monitoring; alerts could not be filed`,
      'customerId',
    );
  }
  const { hash: _hash, ...key } = await createApiKey(deps, principal, {
    role: 'customer',
    customerId,
    name,
    scope: 'alerts',
  });
  return key;
}
