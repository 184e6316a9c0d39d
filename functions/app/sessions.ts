// Signing in without passwords. A contact asks for a one-time link by address; the answer is
// the same whether the address is known or not, and attempts are limited per address and per
// IP (counted for every address, so a refusal says nothing either). A link works once, for 15
// minutes, and starts a browser session bound to that contact and customer; agents start one
// with their API key. Only hashes of link tokens and session cookies are stored.

import { randomBytes } from 'node:crypto';
import { Forbidden, RuleViolation, TooManyAttempts } from '../../domain/errors';
import { config } from '../config';
import { count } from '../metrics';
import type { Deps, SessionRecord, TicketDraft } from '../ports';
import { iso } from './common';
import { authenticate } from './directory';
import { confirmRequest, renderMail, signInLink } from './mail';
import { digest, SESSION_COOKIE } from './session-cookie';

export { SESSION_COOKIE, sessionCookie, sessionPrincipal } from './session-cookie';

export const LINK_MINUTES = 15;
const LINKS_PER_ADDRESS = 3; // per quarter of an hour
const LINKS_PER_IP = 20; // per hour

const secret = () => randomBytes(32).toString('base64url');

/** Counts one attempt in a fixed window of `windowMs`; throws TooManyAttempts past `limit`. */
async function limit(deps: Deps, key: string, windowMs: number, max: number): Promise<void> {
  const now = deps.clock.now();
  const window = Math.floor(now / windowMs);
  const ends = (window + 1) * windowMs;
  if (!(await deps.sessions.countAttempt(key, String(window), max, iso(ends + windowMs)))) {
    throw new TooManyAttempts(Math.ceil((ends - now) / 1000));
  }
}

/** Mails a one-time sign-in link to `email` if it is a contact's; the same outcome either way. */
export async function requestSignInLink(
  deps: Deps,
  email: string,
  sourceIp: string,
  draft?: TicketDraft,
): Promise<void> {
  const address = email.trim().toLowerCase();
  await limit(deps, `ip:${sourceIp}`, 3_600_000, LINKS_PER_IP);
  await limit(deps, `address:${address}`, 15 * 60_000, LINKS_PER_ADDRESS);
  const customerId = await deps.directory.customerByEmail(address);
  const customer = customerId ? await deps.directory.getCustomer(customerId) : null;
  const contact = customer?.contacts.find((c) => c.email.toLowerCase() === address);
  if (!customer || !contact) return;
  const token = secret();
  const expiresAt = deps.clock.now() + LINK_MINUTES * 60_000;
  await deps.sessions.putLink({
    tokenHash: digest(token),
    email: contact.email,
    customerId: customer.id,
    contactName: contact.name,
    expiresAt: iso(expiresAt),
    ...(draft ? { draft } : {}),
  });
  const url = `${config().PORTAL_URL.replace(/\/$/, '')}/#/signin/${token}`;
  const mail = draft
    ? confirmRequest(contact.email, customer.name, draft.subject, url, LINK_MINUTES)
    : signInLink(contact.email, customer.name, url, LINK_MINUTES);
  await deps.mailer.send({
    to: mail.to,
    subject: mail.subject,
    ...renderMail(mail),
    messageId: `<signin.${digest(token).slice(0, 24)}@${config().MAIL_DOMAIN}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  count('MailSent', customer.planId);
}

export interface OpenedSession {
  /** The cookie value: shown to the browser once, stored only as its hash. */
  cookie: string;
  session: SessionRecord;
  /** The request the link confirms, for the portal to file as the contact. */
  draft?: TicketDraft | undefined;
}

async function open(deps: Deps, fields: Omit<SessionRecord, 'sessionHash' | 'createdAt' | 'expiresAt'>) {
  const cookie = secret();
  const now = deps.clock.now();
  const session: SessionRecord = {
    ...fields,
    sessionHash: digest(cookie),
    createdAt: iso(now),
    expiresAt: iso(now + config().SESSION_HOURS * 3_600_000),
  };
  await deps.sessions.putSession(session);
  return { cookie, session };
}

/** Uses a sign-in link (once, before it expires) to start a contact's session. */
export async function openContactSession(deps: Deps, token: string): Promise<OpenedSession> {
  const link = await deps.sessions.consumeLink(digest(token), iso(deps.clock.now()));
  if (!link) {
    throw new RuleViolation(
      'link-invalid',
      'this sign-in link was used already, has expired or is not one we sent; ask for a new one',
      'token',
    );
  }
  const opened = await open(deps, {
    role: 'customer',
    customerId: link.customerId,
    contactEmail: link.email,
    name: link.contactName,
    keyId: null,
  });
  return { ...opened, draft: link.draft };
}

/** An agent's (or admin's) browser session from their API key. */
export async function openStaffSession(deps: Deps, apiKey: string): Promise<OpenedSession> {
  const principal = await authenticate(deps, apiKey);
  if (!principal) throw new RuleViolation('key-unknown', 'the API key is not known', 'apiKey');
  if (principal.role === 'customer') {
    throw new Forbidden('customers sign in with a link sent to their address, not with an API key');
  }
  return open(deps, {
    role: principal.role,
    customerId: null,
    contactEmail: null,
    name: principal.name,
    keyId: principal.keyId,
  });
}

export async function closeSession(deps: Deps, cookie: string | null): Promise<void> {
  if (cookie) await deps.sessions.deleteSession(digest(cookie));
}

/** `Set-Cookie` for a session: not readable by scripts, never sent cross-site or over plain HTTP. */
export function sessionSetCookie(cookie: string | null): string {
  const maxAge = cookie === null ? 0 : config().SESSION_HOURS * 3600;
  return `${SESSION_COOKIE}=${cookie ?? ''}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAge}`;
}
