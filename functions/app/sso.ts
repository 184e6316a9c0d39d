// Single sign-on for staff: OpenID Connect's authorization code flow with PKCE, `state` and
// `nonce`, through openid-client (a certified relying party): it validates the ID token's
// issuer, audience, signature (the issuer's JWKS), expiry and nonce. The attempt is kept by the
// hash of its state, used once, and tied to the browser that began it by a cookie; who the
// verified identity becomes is domain/staff.ts decideSignIn.
import * as oidc from 'openid-client';
import { decideSignIn, type SsoIdentity, SsoMapping } from '../../domain/staff';
import { defaultWorkingHours } from '../../domain/working-hours';
import { type Config, config, portalAt } from '../config';
import type { Deps, StaffRecord } from '../ports';
import { iso } from './common';
import { digest } from './session-cookie';
import { type OpenedSession, openPersonSession, randomSecret } from './sessions';
import { newPerson, storeTeam } from './staff';

export const SSO_COOKIE = 'sla_sso';
const ATTEMPT_MINUTES = 10;

/** A sign-in refused: what the console says, and none of it creates a session. */
export class SsoRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SsoRefused';
  }
}

/** OIDC_MAPPING read: a malformed mapping names what is wrong in it (the local runtime checks it at start). */
export function ssoMapping(cfg: Config = config()): SsoMapping {
  let json: unknown;
  try {
    json = JSON.parse(cfg.OIDC_MAPPING);
  } catch (error) {
    throw new Error(`OIDC_MAPPING is not JSON: ${(error as Error).message}`);
  }
  const parsed = SsoMapping.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `OIDC_MAPPING: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'mapping'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export const ssoConfigured = (cfg: Config = config()): boolean => !!(cfg.OIDC_ISSUER && cfg.OIDC_CLIENT_ID);

const redirectUrl = (cfg: Config) => cfg.OIDC_REDIRECT_URL ?? portalAt(cfg, '/auth/sso/callback');

// The provider's metadata, read once per container (a failed read is tried again).
const discovered = new Map<string, Promise<oidc.Configuration>>();

/** Plain http is allowed for a provider on this machine only (the local runtime's). */
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

async function client(deps: Deps): Promise<oidc.Configuration> {
  const cfg = config();
  if (!ssoConfigured(cfg))
    throw new SsoRefused('sso-not-configured', 'single sign-on is not set up for this desk');
  const key = `${cfg.OIDC_ISSUER} ${cfg.OIDC_CLIENT_ID}`;
  let found = discovered.get(key);
  if (!found) {
    found = (async () => {
      const issuer = new URL(cfg.OIDC_ISSUER!);
      const secret = await deps.secrets.get('oidc-client-secret');
      const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
      const configuration = await oidc.discovery(
        issuer,
        cfg.OIDC_CLIENT_ID!,
        secret ?? undefined,
        secret ? oidc.ClientSecretPost(secret) : oidc.None(),
        insecure ? { execute: [oidc.allowInsecureRequests] } : {},
      );
      // The ID token's signature is checked against the issuer's JWKS too (openid-client would
      // otherwise rely on TLS alone for a token from the token endpoint, as OIDC Core allows).
      oidc.enableNonRepudiationChecks(configuration);
      return configuration;
    })();
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

/** Forget the provider's metadata (tests that start another provider). */
export function forgetProvider(): void {
  discovered.clear();
}

/** Where the browser goes to sign in, and the cookie that ties the attempt to it. */
export async function startSso(deps: Deps, returnTo: string): Promise<{ location: string; browser: string }> {
  const configuration = await client(deps).catch((error) => {
    throw error instanceof SsoRefused
      ? error
      : new SsoRefused(
          'provider-unreachable',
          `the identity provider could not be reached: ${error.message}`,
        );
  });
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const browser = randomSecret();
  await deps.sessions.putSsoAttempt({
    stateHash: digest(state),
    browserHash: digest(browser),
    codeVerifier,
    nonce,
    returnTo,
    expiresAt: iso(deps.clock.now() + ATTEMPT_MINUTES * 60_000),
  });
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUrl(config()),
    scope: config().OIDC_SCOPES,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { location: url.href, browser };
}

/**
 * The provider's answer: the attempt its state names (once, from the browser that began it),
 * the code redeemed with that attempt's PKCE verifier, the ID token validated against its nonce.
 */
export async function finishSso(
  deps: Deps,
  input: { query: string; browser: string | null; userAgent?: string | undefined },
): Promise<OpenedSession & { returnTo: string }> {
  const params = new URLSearchParams(input.query);
  const providerError = params.get('error');
  if (providerError)
    throw new SsoRefused(
      'provider-refused',
      `the identity provider refused the sign-in: ${params.get('error_description') ?? providerError}`,
    );
  const state = params.get('state');
  const attempt = state ? await deps.sessions.consumeSsoAttempt(digest(state), iso(deps.clock.now())) : null;
  if (!attempt)
    throw new SsoRefused(
      'state-invalid',
      'this sign-in was used already, has expired or was not started here; start again',
    );
  if (!input.browser || digest(input.browser) !== attempt.browserHash)
    throw new SsoRefused('state-invalid', 'this sign-in was started in another browser; start again');
  const configuration = await client(deps);
  const tokens = await oidc
    .authorizationCodeGrant(configuration, new URL(`${redirectUrl(config())}?${input.query}`), {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: state!,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    })
    .catch((error: Error) => {
      throw new SsoRefused(
        'token-refused',
        `the identity provider's answer was not accepted: ${error.message}`,
      );
    });
  const claims = tokens.claims()!;
  let identity = identityOf(claims);
  if (!identity.email && tokens.access_token) {
    const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub).catch(() => null);
    if (info) identity = identityOf({ ...info, ...claims });
  }
  const person = await signInAs(deps, identity);
  return { ...(await openPersonSession(deps, person, 'sso', input.userAgent)), returnTo: attempt.returnTo };
}

function identityOf(claims: Record<string, unknown>): SsoIdentity {
  const email = typeof claims.email === 'string' ? claims.email : null;
  const name = typeof claims.name === 'string' ? claims.name : null;
  const verified = claims.email_verified;
  return {
    email,
    name,
    emailVerified:
      typeof verified === 'boolean'
        ? verified
        : verified === 'true'
          ? true
          : verified === 'false'
            ? false
            : null,
    claims,
  };
}

/** The staff member a verified identity is: created, or brought in line with the provider's claims. */
async function signInAs(deps: Deps, identity: SsoIdentity): Promise<StaffRecord> {
  const cfg = config();
  const email = identity.email?.trim().toLowerCase() ?? '';
  const found = email ? await deps.staff.staffByEmail(email) : null;
  const isContact = email ? !!(await deps.directory.customerByEmail(email)) : false;
  const decision = decideSignIn(
    { domains: cfg.OIDC_ALLOWED_DOMAINS, createUnknown: cfg.OIDC_CREATE_UNKNOWN, mapping: ssoMapping(cfg) },
    identity,
    found,
    isContact,
  );
  if (decision.outcome === 'refused') throw new SsoRefused(decision.code, decision.message);
  if (decision.outcome === 'create') {
    const person = newPerson(deps, {
      email: decision.email,
      name: decision.name,
      role: decision.role,
      teams: await teamIds(deps, decision.teams),
      status: 'active',
      workingHours: defaultWorkingHours('UTC'),
    });
    await deps.staff.createStaff(person);
    return person;
  }
  const person = found!;
  const teams = decision.teams ? await teamIds(deps, decision.teams) : person.teams;
  const role = decision.role ?? person.role;
  const status = person.status === 'invited' ? 'active' : person.status;
  if (role === person.role && status === person.status && teams.join() === person.teams.join()) return person;
  const next: StaffRecord = {
    ...person,
    role,
    teams,
    status,
    updatedAt: iso(deps.clock.now()),
    version: person.version + 1,
  };
  await deps.staff.updateStaff(next, person.version);
  return next;
}

/** The ids of the teams named; a team the provider names that does not exist yet is made. */
async function teamIds(deps: Deps, names: string[]): Promise<string[]> {
  if (!names.length) return [];
  const teams = await deps.staff.listTeams();
  const ids: string[] = [];
  for (const name of names) {
    const team = teams.find((t) => t.name.toLowerCase() === name.toLowerCase());
    ids.push(team ? team.id : (await storeTeam(deps, name)).id);
  }
  return ids;
}
