// Amazon SNS messages over HTTPS: verified before anything is believed. The signing
// certificate must come from SNS itself (https://sns.<region>.amazonaws.com/…pem); the
// signature covers the fields SNS documents for each message type (SignatureVersion 1:
// SHA1withRSA, 2: SHA256withRSA); a message over an hour old is refused (a replay). A
// subscription is confirmed by visiting its SubscribeURL, which must be SNS's too.
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import type { WebClient } from '../ports';

export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
  Subject?: string | undefined;
  Token?: string | undefined;
  SubscribeURL?: string | undefined;
}

export class SnsRefused extends Error {}

const MAX_AGE_MS = 60 * 60 * 1000;
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Whether a URL is SNS's own (HTTPS, sns.<region>.amazonaws.com). */
export function isSnsUrl(url: string | undefined): boolean {
  try {
    const parsed = new URL(url ?? '');
    return parsed.protocol === 'https:' && SNS_HOST.test(parsed.hostname) && !parsed.username && !parsed.port;
  } catch {
    return false;
  }
}

/** The text SNS signs: the type's fields, each as `Name\nvalue\n`, in this order. */
export function stringToSign(m: SnsMessage): string {
  const fields =
    m.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  return fields
    .filter((f) => m[f] !== undefined)
    .map((f) => `${f}\n${m[f]}\n`)
    .join('');
}

const certificates = new Map<string, KeyObject>();

/** Throws SnsRefused unless SNS signed this message recently. */
export async function verifySns(message: SnsMessage, web: WebClient, now: number): Promise<void> {
  if (!isSnsUrl(message.SigningCertURL) || !new URL(message.SigningCertURL).pathname.endsWith('.pem')) {
    throw new SnsRefused('the signing certificate is not one of SNS’s');
  }
  const sent = Date.parse(message.Timestamp);
  if (!Number.isFinite(sent) || now - sent > MAX_AGE_MS || sent - now > 5 * 60 * 1000) {
    throw new SnsRefused('the message is over an hour old, or from the future');
  }
  let key = certificates.get(message.SigningCertURL);
  if (!key) {
    key = createPublicKey(await web.get(message.SigningCertURL));
    if (certificates.size > 50) certificates.clear();
    certificates.set(message.SigningCertURL, key);
  }
  const verifier = createVerify(message.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  verifier.update(stringToSign(message), 'utf8');
  if (!verifier.verify(key, message.Signature, 'base64'))
    throw new SnsRefused('the signature does not verify');
}

/** Confirms a verified subscription by visiting its SubscribeURL (SNS's own). */
export async function confirmSubscription(message: SnsMessage, web: WebClient): Promise<void> {
  if (!isSnsUrl(message.SubscribeURL)) throw new SnsRefused('the SubscribeURL is not SNS’s');
  await web.get(message.SubscribeURL!);
}
