// Signing in without passwords. A contact or a staff member asks for a one-time link by
// address; the answer is the same whether the address is known or not, and attempts are limited
// per address and per IP (counted for every address, so a refusal says nothing either). A link
// works once, for 15 minutes, and starts a browser session: a contact's bound to that contact
// and customer, a staff member's listed under them (they and admins can end it). Staff also sign
// in by single sign-on (sso.ts) or with their API key. Only hashes of tokens and cookies are stored.

import { randomBytes } from 'node:crypto';
import { Forbidden, RuleViolation, TooManyAttempts, VersionConflict } from '../../domain/errors';
import { INVITATION_DAYS } from '../../domain/staff';
import { config, portalAt } from '../config';
import { count } from '../metrics';
import type { Deps, SessionRecord, StaffRecord, StaffSessionRecord, TicketDraft } from '../ports';
import { contactOf, cut, iso, newId } from './common';
import { authenticate } from './directory';
import { confirmRequest, renderMail, signInLink, staffInvitation, staffSignInLink } from './mail';
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
  const person = draft ? null : await deps.staff.staffByEmail(address);
  if (person) {
    if (person.status === 'active') await mailStaffLink(deps, person);
    return;
  }
  const customerId = await deps.directory.customerByEmail(address);
  const customer = customerId ? await deps.directory.getCustomer(customerId) : null;
  const contact = contactOf(customer, address);
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
  const url = portalAt(config(), `/#/signin/${token}`);
  const mail = draft
    ? confirmRequest(contact.email, customer.name, draft.subject, url, LINK_MINUTES)
    : signInLink(contact.email, customer.name, url, LINK_MINUTES);
  await mailLink(deps, mail, token);
  count('MailSent', customer.planId);
}

/** Sends a link's mail: automatic (RFC 3834), its Message-ID made from the token's hash. */
async function mailLink(
  deps: Deps,
  mail: { to: string[]; subject: string; paragraphs: string[] },
  token: string,
): Promise<void> {
  await deps.mailer.send({
    to: mail.to,
    subject: mail.subject,
    ...renderMail(mail),
    messageId: `<signin.${digest(token).slice(0, 24)}@${config().MAIL_DOMAIN}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
}

/** A one-time link for a staff member: to sign in (15 minutes), or to finish an invitation. */
export async function mailStaffLink(deps: Deps, person: StaffRecord, invitedBy?: string): Promise<void> {
  const token = secret();
  const minutes = invitedBy ? INVITATION_DAYS * 24 * 60 : LINK_MINUTES;
  await deps.sessions.putLink({
    tokenHash: digest(token),
    email: person.email,
    staffId: person.id,
    ...(invitedBy ? { invitation: true } : {}),
    expiresAt: iso(deps.clock.now() + minutes * 60_000),
  });
  const url = portalAt(config(), `/#/${invitedBy ? 'welcome' : 'signin'}/${token}`);
  const mail = invitedBy
    ? staffInvitation(person.email, person.name, invitedBy, url, INVITATION_DAYS)
    : staffSignInLink(person.email, url, LINK_MINUTES);
  await mailLink(deps, mail, token);
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

const LINK_INVALID =
  'this sign-in link was used already, has expired or is not one we sent; ask for a new one';

/** A staff member's session, listed under them. */
export async function openPersonSession(
  deps: Deps,
  person: StaffRecord,
  method: StaffSessionRecord['method'],
  userAgent: string | undefined,
  /** The key it was opened with, and the role it gives (authenticate: never more than the person's). */
  key: { id: string; role: StaffRecord['role'] } | null = null,
): Promise<OpenedSession> {
  if (person.status === 'deactivated')
    throw new Forbidden(`the account of ${person.email} is deactivated; an admin can reactivate it`);
  const now = deps.clock.now();
  const listedAs: StaffSessionRecord = {
    id: newId('SES'),
    staffId: person.id,
    method,
    userAgent: userAgent ? cut(userAgent, 300) : null,
    createdAt: iso(now),
    expiresAt: iso(now + config().SESSION_HOURS * 3_600_000),
  };
  const opened = await open(deps, {
    role: key?.role ?? person.role,
    customerId: null,
    contactEmail: null,
    name: person.name,
    keyId: key?.id ?? null,
    staffId: person.id,
    listedAs,
  });
  await noteSignIn(deps, person, iso(now));
  return opened;
}

/** Records when a person last signed in (a lost race with another change of theirs skips it). */
async function noteSignIn(deps: Deps, person: StaffRecord, at: string): Promise<void> {
  await deps.staff
    .updateStaff({ ...person, lastSignInAt: at, version: person.version + 1 }, person.version)
    .catch((error) => {
      if (!(error instanceof VersionConflict)) throw error;
    });
}

/** Uses a sign-in link (once, before it expires): a contact's session, or a staff member's. */
export async function openContactSession(
  deps: Deps,
  token: string,
  userAgent?: string,
): Promise<OpenedSession> {
  const link = await deps.sessions.consumeLink(digest(token), iso(deps.clock.now()));
  if (!link) throw new RuleViolation('link-invalid', LINK_INVALID, 'token');
  if ('staffId' in link) {
    if (link.invitation)
      throw new RuleViolation(
        'link-invalid',
        'this is an invitation: open it to finish your account',
        'token',
      );
    const person = await deps.staff.getStaff(link.staffId);
    if (person?.status !== 'active')
      throw new Forbidden(`the account of ${link.email} is not active; ask an admin`);
    return openPersonSession(deps, person, 'link', userAgent);
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
export async function openStaffSession(
  deps: Deps,
  apiKey: string,
  userAgent?: string,
): Promise<OpenedSession> {
  const principal = await authenticate(deps, apiKey);
  if (!principal) throw new RuleViolation('key-unknown', 'the API key is not known', 'apiKey');
  if (principal.role === 'customer') {
    throw new Forbidden('customers sign in with a link sent to their address, not with an API key');
  }
  const person = principal.staffId ? await deps.staff.getStaff(principal.staffId) : null;
  if (person)
    return openPersonSession(deps, person, 'key', userAgent, { id: principal.keyId, role: principal.role });
  return open(deps, {
    role: principal.role,
    customerId: null,
    contactEmail: null,
    name: principal.name,
    keyId: principal.keyId,
  });
}

export { secret as randomSecret };

export async function closeSession(deps: Deps, cookie: string | null): Promise<void> {
  if (cookie) await deps.sessions.deleteSession(digest(cookie));
}

/** `Set-Cookie` for a session: not readable by scripts, never sent cross-site or over plain HTTP. */
export function sessionSetCookie(cookie: string | null): string {
  const maxAge = cookie === null ? 0 : config().SESSION_HOURS * 3600;
  return `${SESSION_COOKIE}=${cookie ?? ''}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAge}`;
}
