// The sign-in policy (domain/staff.ts): who a verified identity becomes, and each refusal.
import { describe, expect, it } from 'vitest';
import { decideSignIn, mappedRole, mappedTeams, SsoMapping, type SsoPolicy } from '../../domain/staff';

const mapping = SsoMapping.parse({
  roleClaim: 'roles',
  admin: ['Desk.Admin'],
  agent: ['Desk.Agent'],
  otherwise: null,
  teamClaim: 'groups',
  teams: { 'g-l2': 'Level 2' },
});
const policy = (over: Partial<SsoPolicy> = {}): SsoPolicy => ({
  domains: ['vendor.test'],
  createUnknown: true,
  mapping,
  ...over,
});
const who = (claims: Record<string, unknown>, email = 'Ann@Vendor.test') => ({
  email,
  emailVerified: true,
  name: 'Ann',
  claims,
});

describe('the sign-in policy', () => {
  it('maps claims to a role (admin wins) and team names', () => {
    expect(mappedRole(mapping, { roles: ['Desk.Agent', 'Desk.Admin'] })).toBe('admin');
    expect(mappedRole(mapping, { roles: 'Desk.Agent' })).toBe('agent');
    expect(mappedRole(mapping, { roles: [42, 'x'] })).toBeNull();
    expect(mappedTeams(mapping, { groups: ['g-l2', 'g-l2', 'other'] })).toEqual(['Level 2']);
    expect(mappedTeams(SsoMapping.parse({}), { groups: ['g-l2'] })).toBeNull();
  });

  it('creates an unknown person with the mapped role, and refuses one the claims give no role', () => {
    expect(decideSignIn(policy(), who({ roles: ['Desk.Agent'], groups: ['g-l2'] }), null, false)).toEqual({
      outcome: 'create',
      email: 'ann@vendor.test',
      name: 'Ann',
      role: 'agent',
      teams: ['Level 2'],
    });
    expect(decideSignIn(policy(), who({}), null, false)).toMatchObject({
      outcome: 'refused',
      code: 'no-role',
    });
    expect(
      decideSignIn(policy({ createUnknown: false }), who({ roles: ['Desk.Agent'] }), null, false),
    ).toMatchObject({ code: 'unknown-person' });
  });

  it.each([
    ['no address', { ...who({}), email: null }, null, false, 'no-email'],
    ['an unverified address', { ...who({}), emailVerified: false }, null, false, 'email-unverified'],
    ['another domain', who({}, 'eve@evil.test'), null, false, 'domain-not-allowed'],
    ['a subdomain as another domain', who({}, 'eve@x.vendor.test'), null, false, 'domain-not-allowed'],
    ['a customer contact', who({ roles: ['Desk.Admin'] }), null, true, 'customer-contact'],
    ['a deactivated person', who({}), { id: 'STF-1', status: 'deactivated' as const }, false, 'deactivated'],
  ])('refuses %s', (_what, identity, person, isContact, code) => {
    expect(decideSignIn(policy(), identity, person, isContact)).toMatchObject({ outcome: 'refused', code });
  });

  it('signs a known person in, their role following the provider only where the claims name one', () => {
    expect(decideSignIn(policy(), who({}), { id: 'STF-1', status: 'active' }, false)).toEqual({
      outcome: 'sign-in',
      id: 'STF-1',
      email: 'ann@vendor.test',
      role: null,
      teams: [],
    });
    expect(
      decideSignIn(
        policy({ domains: [] }),
        who({ roles: 'Desk.Admin' }, 'x@any.test'),
        { id: 'STF-2', status: 'invited' },
        false,
      ),
    ).toMatchObject({ outcome: 'sign-in', role: 'admin' });
  });
});
