// Staff: the people who work in the desk. Their roles, the limits of the directory, and the
// sign-in policy: which identity an OpenID provider vouches for becomes which staff member, and
// every reason one is refused. Their working hours are in working-hours.ts.
import * as z from './zod';

export const STAFF_ROLES = ['admin', 'agent'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** People in one desk's directory, at most (each is listed whole in the console's pickers). */
export const MAX_STAFF = 1000;
export const MAX_TEAMS = 100;
/** Teams one person belongs to, at most. */
export const MAX_TEAMS_PER_PERSON = 20;
/** API keys one desk holds, at most (revoked ones count until they are deleted). */
export const MAX_API_KEYS = 1000;
/** How long an invitation link works (once). */
export const INVITATION_DAYS = 7;
/** How long a key may be given to live, at most. */
export const MAX_KEY_DAYS = 3 * 366;

export const StaffStatus = z.enum(['invited', 'active', 'deactivated']);
export type StaffStatus = z.infer<typeof StaffStatus>;

/** `Ann Lee` → `AL`: the avatar's letters. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => String.fromCodePoint(w.codePointAt(0)!).toUpperCase()).join('') || '?';
}

/**
 * How an OpenID provider's claims map to a role and teams: the values of `roleClaim` (a string
 * or a list, such as Entra ID's `roles`, Okta's or Cognito's groups) that make an admin or an
 * agent, and the values of `teamClaim` that put a person in a team (by the team's name).
 */
export const SsoMapping = z.object({
  roleClaim: z._default(z.string().check(z.minLength(1), z.maxLength(200)), 'groups'),
  admin: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100)), []),
  agent: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100)), []),
  /** The role of a person whose claims name neither (null: refused). */
  otherwise: z._default(z.nullable(z.enum(STAFF_ROLES)), 'agent'),
  teamClaim: z._default(z.string().check(z.minLength(1), z.maxLength(200)), 'groups'),
  teams: z._default(
    z.record(
      z.string().check(z.minLength(1), z.maxLength(200)),
      z.string().check(z.minLength(1), z.maxLength(100)),
    ),
    {},
  ),
});
export type SsoMapping = z.infer<typeof SsoMapping>;

export interface SsoPolicy {
  /** E-mail domains that may sign in (lower case); empty: any. */
  domains: string[];
  /** Whether a person the directory does not know becomes staff on first sign-in. */
  createUnknown: boolean;
  mapping: SsoMapping;
}

/** What the provider vouches for, read from the validated ID token (and userinfo). */
export interface SsoIdentity {
  email: string | null;
  emailVerified: boolean | null;
  name: string | null;
  claims: Record<string, unknown>;
}

export interface KnownPerson {
  id: string;
  status: StaffStatus;
}

export type SignInDecision =
  | { outcome: 'refused'; code: string; message: string }
  | { outcome: 'create'; email: string; name: string; role: StaffRole; teams: string[] }
  /** `role` and `teams` where the claims name them: the directory follows the provider. */
  | { outcome: 'sign-in'; id: string; email: string; role: StaffRole | null; teams: string[] | null };

const values = (claim: unknown): string[] =>
  typeof claim === 'string'
    ? [claim]
    : Array.isArray(claim)
      ? claim.filter((v) => typeof v === 'string')
      : [];

/** The role the claims name by the mapping (admin wins over agent), or null where they name none. */
export function mappedRole(mapping: SsoMapping, claims: Record<string, unknown>): StaffRole | null {
  const held = new Set(values(claims[mapping.roleClaim]));
  if (mapping.admin.some((v) => held.has(v))) return 'admin';
  if (mapping.agent.some((v) => held.has(v))) return 'agent';
  return null;
}

/** The team names the claims map to, or null where the mapping names no team (teams kept as they are). */
export function mappedTeams(mapping: SsoMapping, claims: Record<string, unknown>): string[] | null {
  if (Object.keys(mapping.teams).length === 0) return null;
  const held = values(claims[mapping.teamClaim]);
  return [...new Set(held.flatMap((v) => (mapping.teams[v] ? [mapping.teams[v]] : [])))].slice(
    0,
    MAX_TEAMS_PER_PERSON,
  );
}

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * Who a verified identity signs in as, or why not. `person` is the staff member with that
 * address, `isContact` whether the address is a customer's contact.
 */
export function decideSignIn(
  policy: SsoPolicy,
  identity: SsoIdentity,
  person: KnownPerson | null,
  isContact: boolean,
): SignInDecision {
  const refused = (code: string, message: string): SignInDecision => ({ outcome: 'refused', code, message });
  const email = identity.email?.trim().toLowerCase() ?? '';
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email))
    return refused('no-email', 'the identity provider did not say which e-mail address you sign in with');
  if (identity.emailVerified === false)
    return refused('email-unverified', `the identity provider has not verified ${email}`);
  if (policy.domains.length && !policy.domains.includes(emailDomain(email)))
    return refused(
      'domain-not-allowed',
      `${emailDomain(email)} is not a domain whose people may sign in here (allowed: ${policy.domains.join(', ')})`,
    );
  if (isContact && !person)
    return refused(
      'customer-contact',
      `${email} is a customer's contact: contacts sign in to the portal by link`,
    );
  const role = mappedRole(policy.mapping, identity.claims);
  const teams = mappedTeams(policy.mapping, identity.claims);
  if (person) {
    if (person.status === 'deactivated')
      return refused('deactivated', `the account of ${email} is deactivated; an admin can reactivate it`);
    return { outcome: 'sign-in', id: person.id, email, role, teams };
  }
  if (!policy.createUnknown)
    return refused('unknown-person', `${email} has no staff account here; ask an admin for an invitation`);
  const given = role ?? policy.mapping.otherwise;
  if (!given) return refused('no-role', `your identity provider's claims give ${email} no role in this desk`);
  return { outcome: 'create', email, name: identity.name?.trim() || email, role: given, teams: teams ?? [] };
}
