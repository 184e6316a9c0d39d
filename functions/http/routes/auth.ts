// Signing in to the portal and the console: one-time links for contacts, API keys for staff,
// a session cookie for the browser. The link and session routes are public: they are how a
// browser gets a session in the first place.

import { Forbidden, RuleViolation } from '../../../domain/errors';
import * as z from '../../../domain/zod';
import { iso } from '../../app/common';
import { clientIp } from '../../app/edge';
import { cookieValue } from '../../app/session-cookie';
import * as sessions from '../../app/sessions';
import { finishSso, SSO_COOKIE, SsoRefused, ssoConfigured, startSso } from '../../app/sso';
import { finishInvitation } from '../../app/staff';
import { config, portalAt } from '../../config';
import type { Deps } from '../../ports';
import { Reply, type RouteSpec } from '../middleware';
import { CreateTicketBody } from '../schemas';
import { FinishInvitationBody } from '../staff-schemas';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

/** The answer that starts a browser session: who is signed in, and the cookie. */
function sessionReply(deps: Deps, { cookie, session, draft }: sessions.OpenedSession) {
  const { role, name, customerId, contactEmail, expiresAt } = session;
  return new Reply(
    201,
    {
      role,
      name,
      staffId: session.staffId ?? null,
      customerId,
      contactEmail,
      expiresAt,
      now: iso(deps.clock.now()),
      draft: draft ?? null,
    },
    { 'set-cookie': sessions.sessionSetCookie(cookie) },
  );
}

/** The console's address, for the provider's answer to send the browser back to. */
const consoleAt = (hashRoute: string) => portalAt(config(), `/#${hashRoute}`);

/** The sign-in page, saying why a sign-in was refused. */
const refusedAt = ({ code, message }: SsoRefused) =>
  consoleAt(`/signin?sso=${code}&message=${encodeURIComponent(message)}`);

/** The cookie that ties a sign-in with the provider to this browser: sent back on the provider's redirect (Lax). */
const ssoCookie = (value: string | null) =>
  `${SSO_COOKIE}=${value ?? ''}; Path=/auth/sso; HttpOnly; Secure; SameSite=Lax; Max-Age=${value ? 600 : 0}`;

const ReturnTo = z._default(
  z
    .string()
    .check(
      z.maxLength(500),
      z.regex(/^\/[A-Za-z0-9/_-]*$/, 'expected a console route such as /tickets/TKT-…'),
    ),
  '/',
);
const anyone = ['admin', 'agent', 'customer'] as const;

const Draft = z.pick(CreateTicketBody, { subject: true, description: true, priority: true, category: true });
const LinkBody = z.object({
  email: z.email().check(z.maxLength(254)),
  draft: z
    .optional(Draft)
    .check(
      z.describe(
        'A request written in the embedded form: the link mailed confirms it, and the portal files it as the contact',
      ),
    ),
});
const SessionBody = z.union([
  z.object({
    token: z.string().check(z.minLength(20), z.maxLength(200), z.describe('The token of a sign-in link')),
  }),
  z.object({
    apiKey: z.string().check(z.minLength(8), z.maxLength(200), z.describe('An agent’s or admin’s API key')),
  }),
]);
const SessionResponse = z.object({
  role: z.enum(['admin', 'agent', 'customer']),
  name: z.string(),
  staffId: z.optional(z.nullable(z.string())).check(z.describe('The staff member signed in (staff)')),
  customerId: z.nullable(z.string()),
  contactEmail: z.nullable(z.string()),
  expiresAt: z.nullable(z.string()),
  now: z.string().check(z.describe('The server’s clock: pages count down and pick the year by it')),
  draft: z
    .optional(z.nullable(Draft))
    .check(z.describe('The request the sign-in link confirms (embedded form): file it with POST /tickets')),
});
const SET_COOKIE = {
  'Set-Cookie': `The session: ${sessions.SESSION_COOKIE}=…; HttpOnly; Secure; SameSite=Strict`,
};

export const authRoutes = [
  route({
    method: 'POST',
    path: '/auth/links',
    operationId: 'requestSignInLink',
    summary: `Mail a one-time sign-in link (valid ${sessions.LINK_MINUTES} minutes) to a contact; the answer never says whether the address is known`,
    roles: 'public',
    body: LinkBody,
    status: 202,
    response: z.object({ message: z.string() }),
    async handle({ deps, body, headers, sourceIp }) {
      await sessions.requestSignInLink(deps, body.email, await clientIp(headers, sourceIp), body.draft);
      const what = body.draft ? 'a link to confirm your request' : 'a sign-in link';
      return new Reply(202, {
        message: `If ${body.email} belongs to a contact, ${what} is on its way; it works once, for ${sessions.LINK_MINUTES} minutes.`,
      });
    },
  }),
  route({
    method: 'POST',
    path: '/auth/sessions',
    operationId: 'openSession',
    summary: 'Start a browser session from a sign-in link’s token (contacts) or an API key (staff)',
    roles: 'public',
    body: SessionBody,
    status: 201,
    response: SessionResponse,
    responseHeaders: SET_COOKIE,
    async handle({ deps, body, headers }) {
      const opened =
        'token' in body
          ? await sessions.openContactSession(deps, body.token, headers['user-agent'])
          : await sessions.openStaffSession(deps, body.apiKey, headers['user-agent']);
      return sessionReply(deps, opened);
    },
  }),
  route({
    method: 'GET',
    path: '/auth/session',
    operationId: 'getSession',
    summary: 'Who is signed in (by the session cookie, or the API key)',
    roles: anyone,
    status: 200,
    response: SessionResponse,
    async handle({ deps, principal }) {
      return {
        role: principal.role,
        name: principal.name,
        staffId: principal.staffId ?? null,
        customerId: principal.customerId,
        contactEmail: principal.contactEmail ?? null,
        expiresAt: null,
        now: iso(deps.clock.now()),
      };
    },
  }),
  route({
    method: 'POST',
    path: '/auth/logout',
    operationId: 'closeSession',
    summary: 'End the browser session',
    roles: anyone,
    status: 200,
    response: z.object({ signedOut: z.boolean() }),
    responseHeaders: SET_COOKIE,
    async handle({ deps, cookies }) {
      await sessions.closeSession(deps, sessions.sessionCookie(cookies));
      return new Reply(200, { signedOut: true }, { 'set-cookie': sessions.sessionSetCookie(null) });
    },
  }),
];

export const ssoRoutes = [
  route({
    method: 'GET',
    path: '/auth/sso',
    operationId: 'getSignInOptions',
    summary: 'Whether staff can sign in with single sign-on here, and what the button says',
    roles: 'public',
    status: 200,
    response: z.object({ sso: z.boolean(), label: z.string() }),
    async handle() {
      return { sso: ssoConfigured(), label: config().OIDC_LABEL };
    },
  }),
  route({
    method: 'GET',
    path: '/auth/sso/start',
    operationId: 'startSso',
    summary: 'Go to the identity provider to sign in (authorization code flow with PKCE); 303 to it',
    roles: 'public',
    query: z.object({ returnTo: ReturnTo.check(z.describe('The console route to open once signed in')) }),
    status: 303,
    response: z.object({ location: z.string() }),
    async handle({ deps, query }) {
      try {
        const { location, browser } = await startSso(deps, query.returnTo);
        return new Reply(
          303,
          { location },
          { location, 'set-cookie': ssoCookie(browser), 'cache-control': 'no-store' },
        );
      } catch (error) {
        if (!(error instanceof SsoRefused)) throw error;
        const location = refusedAt(error);
        return new Reply(303, { location }, { location, 'cache-control': 'no-store' });
      }
    },
  }),
  route({
    method: 'GET',
    path: '/auth/sso/callback',
    operationId: 'finishSso',
    summary:
      'Where the identity provider sends the browser back: signs the person in and goes to the console (303), or to the sign-in page with the reason',
    roles: 'public',
    query: z.record(z.string(), z.string().check(z.maxLength(4096))),
    status: 303,
    response: z.object({ location: z.string() }),
    responseHeaders: SET_COOKIE,
    async handle({ deps, query, cookies, headers }) {
      const browser = cookieValue(cookies, SSO_COOKIE);
      const cookiesOut = [ssoCookie(null)];
      let location: string;
      try {
        const opened = await finishSso(deps, {
          query: new URLSearchParams(query as Record<string, string>).toString(),
          browser,
          userAgent: headers['user-agent'],
        });
        cookiesOut.push(sessions.sessionSetCookie(opened.cookie));
        location = consoleAt(opened.returnTo);
      } catch (error) {
        const refused =
          error instanceof SsoRefused
            ? error
            : error instanceof Forbidden || error instanceof RuleViolation
              ? new SsoRefused('refused', error.message)
              : null;
        if (!refused) throw error;
        location = refusedAt(refused);
      }
      return new Reply(303, { location }, { location, 'cache-control': 'no-store' }, cookiesOut);
    },
  }),
  route({
    method: 'POST',
    path: '/auth/invitations',
    operationId: 'finishInvitation',
    summary: 'Finish an invited account (name, working hours) with the invitation’s token, and sign in',
    roles: 'public',
    body: FinishInvitationBody,
    status: 201,
    response: SessionResponse,
    responseHeaders: SET_COOKIE,
    async handle({ deps, body, headers }) {
      const { token, ...account } = body;
      return sessionReply(deps, await finishInvitation(deps, token, account, headers['user-agent']));
    },
  }),
];
