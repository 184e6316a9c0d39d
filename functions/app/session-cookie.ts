// The browser session cookie: finding it in a request and the principal it stands for. Apart
// from sessions.ts so that every route's middleware stays small.
import { createHash } from 'node:crypto';
import type { Deps } from '../ports';
import { iso, type Principal } from './common';

export const SESSION_COOKIE = 'sla_session';

export const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A cookie's value in a Cookie header (or API Gateway's cookies list), if any. */
export function cookieValue(cookies: string | undefined, wanted: string): string | null {
  for (const part of (cookies ?? '').split(/;\s*|,\s*/)) {
    const [name, ...value] = part.split('=');
    if (name?.trim() === wanted && value.length) return value.join('=').trim() || null;
  }
  return null;
}

/** The session cookie's value, if any. */
export const sessionCookie = (cookies: string | undefined): string | null =>
  cookieValue(cookies, SESSION_COOKIE);

/** Who a session cookie signs in, or null for none, an unknown or an expired one. */
export async function sessionPrincipal(deps: Deps, cookie: string): Promise<Principal | null> {
  const session = await deps.sessions.getSession(digest(cookie), iso(deps.clock.now()));
  if (!session) return null;
  return {
    keyId: session.keyId ?? `contact:${session.contactEmail}`,
    name: session.name,
    role: session.role,
    customerId: session.customerId,
    contactEmail: session.contactEmail,
    staffId: session.staffId ?? null,
  };
}
