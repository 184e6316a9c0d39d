// Acknowledgements that come back from a team's service. PagerDuty's V3 webhooks: signed with the subscription's secret
// (`X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the body>`, several while a secret is
// rotated). Opsgenie's Webhook integration signs nothing: it sends the token its custom header
// was given (`Authorization: Bearer …`). An event older than PAGERDUTY_EVENT_MAX_AGE_MS is
// refused (a replay of an old acknowledgement must not stop a later chain); each is taken once.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PAGERDUTY_EVENT_MAX_AGE_MS = 60 * 60_000;

/** A callback refused: its signature or token is wrong, or it is too old to act on. */
export class CallbackRefused extends Error {}

/** Throws CallbackRefused unless one of the header's signatures is the body's with `secret`. */
export function verifyPagerDuty(rawBody: string, header: string | undefined, secret: string): void {
  if (!header) throw new CallbackRefused('no X-PagerDuty-Signature header');
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
  const matches = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .some((s) => {
      const given = Buffer.from(s.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  if (!matches) throw new CallbackRefused('the signature is not this subscription’s');
}

/** Throws CallbackRefused unless the header carries the token (compared in constant time). */
export function verifyBearer(header: string | undefined, token: string): void {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new CallbackRefused('the token is not this integration’s');
}

/** Throws CallbackRefused for an event that happened too long ago (or in the future). */
export function checkFresh(occurredAt: string, now: number): void {
  const at = Date.parse(occurredAt);
  if (!Number.isFinite(at) || now - at > PAGERDUTY_EVENT_MAX_AGE_MS || at - now > 5 * 60_000)
    throw new CallbackRefused(`the event of ${occurredAt} is too old to act on`);
}

/** `TKT-…/response#1#breach`, the dedup key of the desk's events: the ticket and chain, or null. */
export function ticketOfIncidentKey(
  key: string | null | undefined,
): { ticketId: string; chain: string } | null {
  const match = /^(TKT-[0-9A-Z]{10})\/([a-z]+#[0-9#a-z]+)$/.exec(key ?? '');
  return match ? { ticketId: match[1]!, chain: match[2]! } : null;
}
