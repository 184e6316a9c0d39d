// Single sign-on, end to end through the real handlers: a real OpenID provider on this machine
// (oidc-provider) for the whole code flow with PKCE; and a provider whose ID tokens the test
// writes (signed with jose) for everything a token can get wrong. Each refusal says why, and
// none opens a session.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetProvider } from '../../functions/app/sso';
import { resetConfig } from '../../functions/config';
import { type LocalOidc, startLocalOidc } from '../../infra/local/oidc-provider';
import { type Harness, harness, type Person, type Response } from './harness';

const CALLBACK = 'http://localhost:3000/auth/sso/callback';

/** A browser's cookies, as a jar: set by answers, sent with requests. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      this.cookies.set(name!.trim(), value.join('='));
    }
  }
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Signs in at the local provider's login page as `login`; the URL it sends the browser back to. */
async function loginAt(authUrl: string, login: string): Promise<string> {
  const jar = new Jar();
  let url = authUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(CALLBACK)) return url;
    let res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res.headers);
    if (res.status === 200) {
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
      const form = new URLSearchParams({ prompt: 'login', login, password: 'anything' });
      res = await fetch(new URL(action, url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      jar.take(res.headers);
    }
    url = new URL(res.headers.get('location')!, url).href;
  }
  throw new Error('the provider never sent the browser back');
}

const sessionOf = (res: Response) =>
  /sla_session=([^;\s]+)/.exec(res.headers['set-cookie'] ?? '')?.[1] ?? null;
const ssoCookieOf = (res: Response) => /sla_sso=([^;\s]+)/.exec(res.headers['set-cookie'] ?? '')![1]!;

/** Begins a sign-in: where the browser goes, and the cookie that ties the attempt to it. */
async function start(h: Harness, returnTo = '/') {
  const res = await h.call('GET', `/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}`, { key: null });
  expect(res.status).toBe(303);
  return { location: res.headers.location!, browser: ssoCookieOf(res) };
}

async function callback(h: Harness, url: string, browser: string | null) {
  const query = new URL(url).search;
  return h.call('GET', `/auth/sso/callback${query}`, {
    key: null,
    headers: browser ? { cookie: `sla_sso=${browser}` } : {},
  });
}

/** The reason a refused sign-in names in the console's address, and that no session came of it. */
function refusal(res: Response): string {
  expect(res.status).toBe(303);
  expect(sessionOf(res)).toBeNull();
  const location = new URL(res.headers.location!.replace('/#/', '/'));
  return location.searchParams.get('sso')!;
}

function setEnv(env: Record<string, string>) {
  for (const name of Object.keys(process.env)) if (name.startsWith('OIDC_')) delete process.env[name];
  Object.assign(process.env, env);
  resetConfig();
  forgetProvider();
}

describe('with a real OpenID provider (oidc-provider)', () => {
  let h: Harness;
  let op: LocalOidc;
  let ann: Person;

  beforeAll(async () => {
    op = await startLocalOidc({ redirectUri: CALLBACK });
    setEnv({
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      OIDC_ALLOWED_DOMAINS: 'staff.test',
    });
    h = await harness();
    ann = await h.person('agent', 'Ann Agent');
  });
  afterAll(async () => {
    setEnv({});
    await op.stop();
  });

  it('signs a staff member in: code flow with PKCE and S256, state and nonce, then the console route asked for', async () => {
    const { location, browser } = await start(h, '/tickets/TKT-7K3QF9M2XA');
    const auth = new URL(location);
    expect(auth.origin).toBe(op.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const p of ['state', 'nonce', 'redirect_uri', 'client_id'])
      expect(auth.searchParams.get(p)).toBeTruthy();
    const back = await loginAt(location, ann.email);
    const res = await callback(h, back, browser);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('http://localhost:3000/#/tickets/TKT-7K3QF9M2XA');
    const cookie = sessionOf(res)!;
    expect(res.headers['set-cookie']).toMatch(
      /sla_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict/,
    );
    const me = await h.call('GET', '/auth/session', {
      key: null,
      headers: { cookie: `sla_session=${cookie}` },
    });
    expect(me.body).toMatchObject({ role: 'agent', name: 'Ann Agent', staffId: ann.id });
    const sessions = await h.call('GET', `/staff/${ann.id}/sessions`);
    expect(sessions.body.items.map((s: { method: string }) => s.method)).toContain('sso');
    // The same answer again: the state was used.
    expect(refusal(await callback(h, back, browser))).toBe('state-invalid');
  });

  it('refuses a code redeemed without its own PKCE verifier (a code of one sign-in brought to another)', async () => {
    const victim = await start(h);
    const stolen = new URL(await loginAt(victim.location, ann.email)).searchParams.get('code')!;
    const attacker = await start(h);
    const state = new URL(attacker.location).searchParams.get('state')!;
    const res = await callback(h, `${CALLBACK}?code=${stolen}&state=${state}`, attacker.browser);
    expect(refusal(res)).toBe('token-refused');
  });

  it('refuses a wrong state, a state without the browser that began it, and a provider’s own refusal', async () => {
    const { location, browser } = await start(h);
    const back = await loginAt(location, ann.email);
    const wrong = back.replace(/state=[^&]+/, 'state=not-the-state-we-sent');
    expect(refusal(await callback(h, wrong, browser))).toBe('state-invalid');
    expect(refusal(await callback(h, back, null))).toBe('state-invalid');
    expect(refusal(await callback(h, back, 'another-browser'))).toBe('state-invalid');
    const denied = await callback(
      h,
      `${CALLBACK}?error=access_denied&error_description=User%20said%20no`,
      browser,
    );
    expect(refusal(denied)).toBe('provider-refused');
    expect(decodeURIComponent(denied.headers.location!)).toContain('User said no');
  });

  it('refuses an address of a domain not allowed, a customer contact, an unknown and a deactivated person', async () => {
    const outsider = await start(h);
    expect(
      refusal(await callback(h, await loginAt(outsider.location, 'eve@elsewhere.test'), outsider.browser)),
    ).toBe('domain-not-allowed');
    const unknown = await start(h);
    expect(
      refusal(await callback(h, await loginAt(unknown.location, 'new@staff.test'), unknown.browser)),
    ).toBe('unknown-person');
    await h.customer('ombori-production', [{ email: 'contact@staff.test', name: 'Contact' }]);
    const contact = await start(h);
    expect(
      refusal(await callback(h, await loginAt(contact.location, 'contact@staff.test'), contact.browser)),
    ).toBe('customer-contact');
    const bob = await h.person('agent', 'Bob Gone');
    const read = await h.call('GET', `/staff/${bob.id}`);
    expect(
      (
        await h.call('PATCH', `/staff/${bob.id}`, {
          body: { status: 'deactivated' },
          headers: { 'if-match': `"${read.body.version}"` },
        })
      ).status,
    ).toBe(200);
    const gone = await start(h);
    expect(refusal(await callback(h, await loginAt(gone.location, bob.email), gone.browser))).toBe(
      'deactivated',
    );
  });
});

describe('ID tokens the relying party must refuse', () => {
  let h: Harness;
  let server: Server;
  let issuer: string;
  let tokenFor: (form: URLSearchParams) => Promise<Record<string, unknown> | { error: string }>;
  const keys = generateKeyPair('RS256');
  const clientId = 'sla-desk-test';

  beforeAll(async () => {
    const { publicKey } = await keys;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer(async (req, res) => {
      const url = new URL(req.url!, issuer);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/openid-configuration')
        return send(200, {
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        });
      if (url.pathname === '/jwks') return send(200, { keys: [jwk] });
      let body = '';
      for await (const chunk of req) body += chunk;
      const answer = await tokenFor(new URLSearchParams(body));
      return 'error' in answer ? send(400, answer) : send(200, answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    setEnv({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: 'test-secret',
      OIDC_CREATE_UNKNOWN: 'true',
      OIDC_MAPPING: JSON.stringify({ admin: ['desk-admins'], teams: { 'g-l2': 'Level 2' } }),
    });
    h = await harness();
  });
  afterAll(async () => {
    setEnv({});
    await new Promise((resolve) => server.close(resolve));
  });

  /** A token response with an ID token of these claims (the defaults: a valid one for `nonce`). */
  async function idToken(nonce: string, claims: Record<string, unknown> = {}) {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: issuer,
      aud: clientId,
      sub: 'ann',
      nonce,
      iat: now,
      exp: now + 300,
      email: 'ann@staff.test',
      email_verified: true,
      name: 'Ann',
      ...claims,
    };
    const jwt = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign((await keys).privateKey);
    return { access_token: 'at', token_type: 'Bearer', id_token: jwt };
  }

  async function attempt(claims: (nonce: string) => Record<string, unknown>) {
    const { location, browser } = await start(h);
    const auth = new URL(location);
    const nonce = auth.searchParams.get('nonce')!;
    tokenFor = async (form) => {
      // The verifier the desk sends is the one behind the challenge it sent.
      expect(form.get('code_verifier')).toBeTruthy();
      return idToken(nonce, claims(nonce));
    };
    return callback(h, `${CALLBACK}?code=c0de&state=${auth.searchParams.get('state')}`, browser);
  }

  it('accepts a valid one (the person exists), so that each refusal below is the token’s fault', async () => {
    await h.call('POST', '/staff', { body: { email: 'ann@staff.test', name: 'Ann', role: 'agent' } });
    const res = await attempt(() => ({}));
    expect(res.status).toBe(303);
    expect(sessionOf(res)).toBeTruthy();
  });

  it.each([
    ['of another issuer', () => ({ iss: 'https://login.evil.test' })],
    ['for another audience', () => ({ aud: 'another-client' })],
    [
      'that has expired',
      () => ({ exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 900 }),
    ],
    ['with a nonce of another sign-in (a replay)', () => ({ nonce: 'the-nonce-of-an-earlier-sign-in' })],
    ['without a nonce', () => ({ nonce: undefined })],
  ])('refuses an ID token %s', async (_what, claims) => {
    expect(refusal(await attempt(claims))).toBe('token-refused');
  });

  it('refuses an ID token signed by a key not in the issuer’s JWKS', async () => {
    const { location, browser } = await start(h);
    const auth = new URL(location);
    const other = await generateKeyPair('RS256');
    tokenFor = async () => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({
        iss: issuer,
        aud: clientId,
        sub: 'ann',
        nonce: auth.searchParams.get('nonce'),
        iat: now,
        exp: now + 300,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .sign(other.privateKey);
      return { access_token: 'at', token_type: 'Bearer', id_token: jwt };
    };
    const res = await callback(h, `${CALLBACK}?code=c0de&state=${auth.searchParams.get('state')}`, browser);
    expect(refusal(res)).toBe('token-refused');
  });

  it('refuses when the provider refuses the code (a missing or wrong PKCE verifier)', async () => {
    const { location, browser } = await start(h);
    const auth = new URL(location);
    tokenFor = async () => ({ error: 'invalid_grant' });
    const res = await callback(h, `${CALLBACK}?code=c0de&state=${auth.searchParams.get('state')}`, browser);
    expect(refusal(res)).toBe('token-refused');
  });

  it('creates a person the directory does not know, with the role and the team the claims map to', async () => {
    const res = await attempt(() => ({
      email: 'new.admin@staff.test',
      name: 'New Admin',
      groups: ['desk-admins', 'g-l2'],
    }));
    expect(sessionOf(res)).toBeTruthy();
    const person = (await h.call('GET', '/staff')).body.items.find(
      (p: { email: string }) => p.email === 'new.admin@staff.test',
    );
    const teams = (await h.call('GET', '/teams')).body.items;
    expect(teams.map((t: { name: string }) => t.name)).toEqual(['Level 2']);
    expect(person).toMatchObject({
      name: 'New Admin',
      role: 'admin',
      status: 'active',
      teams: [teams[0].id],
    });
    // Signing in again keeps the one team the provider names.
    await attempt(() => ({ email: 'new.admin@staff.test', groups: ['g-l2'] }));
    expect((await h.call('GET', '/teams')).body.items).toHaveLength(1);
  });

  it('refuses an unverified address', async () => {
    expect(refusal(await attempt(() => ({ email_verified: false })))).toBe('email-unverified');
  });
});
