// The staff directory: inviting people, their accounts, teams, their keys and sessions. Admins
// manage everyone; a person changes their own name and hours and sees their own keys and
// sessions; agents see the directory's names (for assignment) and nothing of others' access.
import { NotFound, RuleViolation, VersionConflict } from '../../domain/errors';
import type { NotificationPreferences } from '../../domain/notifications';
import type { StaffRole } from '../../domain/staff';
import type { Role } from '../../domain/ticket';
import { defaultWorkingHours, type WorkingHours } from '../../domain/working-hours';
import type { ApiKeyRecord, Deps, StaffRecord, StaffSessionRecord, TeamRecord } from '../ports';
import { iso, newId, type Principal, requireRole } from './common';
import { createApiKey, forgetKeys, hashKey } from './directory';
import { digest } from './session-cookie';
import { mailStaffLink, type OpenedSession, openPersonSession } from './sessions';

const STAFF_ONLY = ['admin', 'agent'] as const;

/** The person behind a staff principal, or null for a system's key. */
export async function me(deps: Deps, principal: Principal): Promise<StaffRecord | null> {
  requireRole(principal, STAFF_ONLY, 'read the staff directory');
  return principal.staffId ? deps.staff.getStaff(principal.staffId) : null;
}

export async function getStaff(deps: Deps, principal: Principal, id: string): Promise<StaffRecord> {
  requireRole(principal, STAFF_ONLY, 'read the staff directory');
  const person = await deps.staff.getStaff(id);
  if (!person) throw new NotFound('staff member', id);
  return person;
}

export async function listStaff(deps: Deps, principal: Principal): Promise<StaffRecord[]> {
  requireRole(principal, STAFF_ONLY, 'read the staff directory');
  return deps.staff.listStaff();
}

/** Team ids as given, each an existing team's. */
async function checkTeams(deps: Deps, teams: string[]): Promise<string[]> {
  const known = new Set((await deps.staff.listTeams()).map((t) => t.id));
  const unknown = teams.find((t) => !known.has(t));
  if (unknown) throw new RuleViolation('unknown-team', `team ${unknown} does not exist`, 'teams');
  return [...new Set(teams)];
}

/** An address that is a customer's contact cannot be staff (a person signs in as one or the other). */
async function refuseContact(deps: Deps, email: string): Promise<void> {
  if (await deps.directory.customerByEmail(email))
    throw new RuleViolation(
      'customer-contact',
      `${email} is a customer's contact; a contact cannot also be staff`,
      'email',
    );
}

/** A new person in the directory: the account is finished by the invitation mailed to them. */
export async function inviteStaff(
  deps: Deps,
  principal: Principal,
  input: {
    email: string;
    name: string;
    role: StaffRole;
    teams?: string[] | undefined;
    timeZone?: string | undefined;
  },
): Promise<StaffRecord> {
  requireRole(principal, ['admin'], 'invite staff');
  const email = input.email.trim().toLowerCase();
  await refuseContact(deps, email);
  const person = newPerson(deps, {
    email,
    name: input.name,
    role: input.role,
    teams: await checkTeams(deps, input.teams ?? []),
    status: 'invited',
    workingHours: defaultWorkingHours(input.timeZone ?? 'UTC'),
  });
  await deps.staff.createStaff(person);
  await mailStaffLink(deps, person, principal.name);
  return person;
}

/** Mails a new invitation to a person who has not finished their account. */
export async function reinvite(deps: Deps, principal: Principal, id: string): Promise<StaffRecord> {
  requireRole(principal, ['admin'], 'invite staff');
  const person = await getStaff(deps, principal, id);
  if (person.status !== 'invited')
    throw new RuleViolation('not-invited', `${person.name} has finished their account already`, 'id');
  await mailStaffLink(deps, person, principal.name);
  return person;
}

export function newPerson(
  deps: Deps,
  fields: Pick<StaffRecord, 'email' | 'name' | 'role' | 'teams' | 'status' | 'workingHours'>,
): StaffRecord {
  const now = iso(deps.clock.now());
  return { id: newId('STF'), ...fields, createdAt: now, updatedAt: now, lastSignInAt: null, version: 1 };
}

/** Uses an invitation (once): the person says their name and hours and is signed in. */
export async function finishInvitation(
  deps: Deps,
  token: string,
  input: { name: string; workingHours: WorkingHours },
  userAgent?: string,
): Promise<OpenedSession> {
  const link = await deps.sessions.consumeLink(digest(token), iso(deps.clock.now()));
  if (!link || !('staffId' in link) || !link.invitation)
    throw new RuleViolation(
      'link-invalid',
      'this invitation was used already, has expired or is not one we sent; ask an admin for a new one',
      'token',
    );
  const person = await deps.staff.getStaff(link.staffId);
  if (!person || person.status === 'deactivated')
    throw new RuleViolation('link-invalid', 'this account was deactivated; ask an admin', 'token');
  const active: StaffRecord = {
    ...person,
    name: input.name,
    workingHours: input.workingHours,
    status: 'active',
    updatedAt: iso(deps.clock.now()),
    version: person.version + 1,
  };
  await deps.staff.updateStaff(active, person.version);
  return openPersonSession(deps, active, 'invitation', userAgent);
}

/** Admins who are active: the desk never loses its last one. */
async function otherActiveAdmins(deps: Deps, id: string): Promise<number> {
  return (await deps.staff.listStaff()).filter(
    (p) => p.id !== id && p.role === 'admin' && p.status === 'active',
  ).length;
}

/** A change of a person: admins change anything; a person their own name and working hours. */
export async function updateStaff(
  deps: Deps,
  principal: Principal,
  id: string,
  input: {
    name?: string | undefined;
    role?: StaffRole | undefined;
    teams?: string[] | undefined;
    workingHours?: WorkingHours | undefined;
    phone?: string | null | undefined;
    slackUserId?: string | null | undefined;
    notifications?: NotificationPreferences | undefined;
    status?: 'active' | 'deactivated' | undefined;
  },
  expectedVersion?: number,
): Promise<StaffRecord> {
  requireRole(principal, STAFF_ONLY, 'change staff');
  const person = await getStaff(deps, principal, id);
  const own = principal.staffId === id;
  const adminOnly = (['role', 'teams', 'status'] as const).find((f) => input[f] !== undefined);
  if (principal.role !== 'admin' && (!own || adminOnly))
    requireRole(principal, ['admin'], adminOnly ? `change a person's ${adminOnly}` : 'change another person');
  if (expectedVersion !== undefined && person.version !== expectedVersion)
    throw new VersionConflict('staff member', id, expectedVersion, person.version);
  const status =
    input.status === undefined
      ? person.status
      : person.status === 'invited' && input.status === 'active'
        ? 'invited'
        : input.status;
  const role = input.role ?? person.role;
  const losesAdmin =
    person.role === 'admin' && person.status === 'active' && (role !== 'admin' || status !== 'active');
  if (losesAdmin && (await otherActiveAdmins(deps, id)) === 0)
    throw new RuleViolation(
      'last-admin',
      `${person.name} is the desk's only active admin`,
      input.role ? 'role' : 'status',
    );
  const next: StaffRecord = {
    ...person,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.workingHours !== undefined ? { workingHours: input.workingHours } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.slackUserId !== undefined ? { slackUserId: input.slackUserId } : {}),
    ...(input.notifications !== undefined ? { notifications: input.notifications } : {}),
    ...(input.teams !== undefined ? { teams: await checkTeams(deps, input.teams) } : {}),
    role,
    status,
    updatedAt: iso(deps.clock.now()),
    version: person.version + 1,
  };
  await deps.staff.updateStaff(next, person.version);
  if (status === 'deactivated' && person.status !== 'deactivated') await endAccess(deps, next);
  if (role !== person.role) await deps.sessions.endAllStaffSessions(id); // a session carries its role
  return next;
}

/** Ends every session and revokes every key of a deactivated person, at once. */
async function endAccess(deps: Deps, person: StaffRecord): Promise<void> {
  await deps.sessions.endAllStaffSessions(person.id);
  const at = iso(deps.clock.now());
  for (const key of await deps.directory.listApiKeys()) {
    if (key.owner && 'staffId' in key.owner && key.owner.staffId === person.id && !key.revokedAt)
      await deps.directory.revokeApiKey(key.hash, at);
  }
  forgetKeys();
}

export async function createTeam(deps: Deps, principal: Principal, name: string): Promise<TeamRecord> {
  requireRole(principal, ['admin'], 'create teams');
  return storeTeam(deps, name);
}

/** Stores a new team (an admin's, or one the identity provider names: sso.ts). */
export async function storeTeam(deps: Deps, name: string): Promise<TeamRecord> {
  const team: TeamRecord = {
    id: newId('TEAM'),
    name: name.trim(),
    createdAt: iso(deps.clock.now()),
    version: 1,
  };
  await deps.staff.createTeam(team);
  return team;
}

export async function listTeams(deps: Deps, principal: Principal): Promise<TeamRecord[]> {
  requireRole(principal, STAFF_ONLY, 'read teams');
  return deps.staff.listTeams();
}

/** Keys as listed: admins see every key, an agent their own. */
export async function listKeys(deps: Deps, principal: Principal): Promise<ApiKeyRecord[]> {
  requireRole(principal, STAFF_ONLY, 'list API keys');
  const keys = await deps.directory.listApiKeys();
  return principal.role === 'admin' ? keys : keys.filter((k) => ownedBy(k, principal.staffId));
}

const ownedBy = (key: ApiKeyRecord, staffId: string | null | undefined) =>
  !!staffId && !!key.owner && 'staffId' in key.owner && key.owner.staffId === staffId;

/** An agent's own key (agent role, theirs); admins make any key with createApiKey. */
export async function createOwnKey(
  deps: Deps,
  principal: Principal,
  input: {
    name: string;
    role: Role;
    customerId?: string | undefined;
    owner?: unknown;
    expiresAt?: string | null | undefined;
  },
) {
  requireRole(principal, STAFF_ONLY, 'create API keys');
  if (input.role !== principal.role || input.customerId || input.owner)
    requireRole(principal, ['admin'], 'create keys other than an agent key of their own');
  if (!principal.staffId)
    throw new RuleViolation('no-person', 'a key of a system cannot make keys of its own', 'name');
  return createApiKey(deps, null, {
    name: input.name,
    expiresAt: input.expiresAt,
    role: principal.role,
    owner: { staffId: principal.staffId },
  });
}

export async function revokeKey(deps: Deps, principal: Principal, id: string): Promise<ApiKeyRecord> {
  requireRole(principal, STAFF_ONLY, 'revoke API keys');
  const key = await deps.directory.getApiKeyById(id);
  if (!key || (principal.role !== 'admin' && !ownedBy(key, principal.staffId)))
    throw new NotFound('API key', id);
  const at = iso(deps.clock.now());
  if (!(await deps.directory.revokeApiKey(key.hash, at)))
    throw new RuleViolation('revoked-already', `key ${id} was revoked at ${key.revokedAt}`, 'id');
  forgetKeys();
  return { ...key, revokedAt: at };
}

function mayManage(principal: Principal, staffId: string): void {
  if (principal.staffId !== staffId) requireRole(principal, ['admin'], "see or end other people's sessions");
}

export async function listSessions(
  deps: Deps,
  principal: Principal,
  staffId: string,
): Promise<StaffSessionRecord[]> {
  requireRole(principal, STAFF_ONLY, 'list sessions');
  mayManage(principal, staffId);
  await getStaff(deps, principal, staffId);
  return deps.sessions.listStaffSessions(staffId, iso(deps.clock.now()));
}

export async function endSession(
  deps: Deps,
  principal: Principal,
  staffId: string,
  id: string,
): Promise<void> {
  requireRole(principal, STAFF_ONLY, 'end sessions');
  mayManage(principal, staffId);
  if (!(await deps.sessions.endStaffSession(staffId, id))) throw new NotFound('session', id);
}

/**
 * The first admin: a person with `email` (ADMIN_EMAIL, else admin@ the mail domain), active, who
 * owns the deployment's first key. Idempotent: every start and deploy runs it.
 */
export async function ensureFirstAdmin(
  deps: Deps,
  input: { key: string; email: string; name?: string | undefined },
): Promise<StaffRecord> {
  const email = input.email.trim().toLowerCase();
  let person = await deps.staff.staffByEmail(email);
  if (!person) {
    person = newPerson(deps, {
      email,
      name: input.name ?? 'Admin',
      role: 'admin',
      teams: [],
      status: 'active',
      workingHours: defaultWorkingHours('UTC'),
    });
    await deps.staff.createStaff(person);
  }
  if (!(await deps.directory.getApiKey(hashKey(input.key)))) {
    await createApiKey(
      deps,
      null,
      { role: 'admin', name: 'first admin key', owner: { staffId: person.id } },
      input.key,
    );
  }
  return person;
}
