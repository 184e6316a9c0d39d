// Signing in to the portal and the console: one-time links for contacts, API keys for staff,
// a session cookie for the browser. The link and session routes are public: they are how a
// browser gets a session in the first place.
import * as z from 'zod';
import { iso } from '../../app/common';
import { clientIp } from '../../app/edge';
import * as sessions from '../../app/sessions';
import { Reply, type RouteSpec } from '../middleware';
import { CreateTicketBody } from '../schemas';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const anyone = ['admin', 'agent', 'customer'] as const;

const Draft = CreateTicketBody.pick({ subject: true, description: true, priority: true, category: true });
const LinkBody = z.object({
  email: z.email().max(254),
  draft: Draft.optional().describe(
    'A request written in the embedded form: the link mailed confirms it, and the portal files it as the contact',
  ),
});
const SessionBody = z.union([
  z.object({ token: z.string().min(20).max(200).describe('The token of a sign-in link') }),
  z.object({ apiKey: z.string().min(8).max(200).describe('An agent’s or admin’s API key') }),
]);
const SessionResponse = z.object({
  role: z.enum(['admin', 'agent', 'customer']),
  name: z.string(),
  customerId: z.string().nullable(),
  contactEmail: z.string().nullable(),
  expiresAt: z.string().nullable(),
  now: z.string().describe('The server’s clock: pages count down and pick the year by it'),
  draft: Draft.nullable()
    .optional()
    .describe('The request the sign-in link confirms (embedded form): file it with POST /tickets'),
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
    async handle({ deps, body }) {
      const { cookie, session, draft } =
        'token' in body
          ? await sessions.openContactSession(deps, body.token)
          : await sessions.openStaffSession(deps, body.apiKey);
      const { role, name, customerId, contactEmail, expiresAt } = session;
      return new Reply(
        201,
        { role, name, customerId, contactEmail, expiresAt, now: iso(deps.clock.now()), draft: draft ?? null },
        { 'set-cookie': sessions.sessionSetCookie(cookie) },
      );
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
