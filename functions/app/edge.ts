// The caller's address behind CloudFront. API Gateway then sees the edge's address; the
// viewer's is in CloudFront-Viewer-Address, which CloudFront sets (replacing any a client
// sent). A client may call API Gateway directly and send that header itself, so it counts only
// beside the secret header CloudFront adds (infra/constructs/web-site.ts). Limits per IP
// (sign-in links) would otherwise count CloudFront's addresses, or trust a forged one.
import { timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from '../config';

export const EDGE_HEADER = 'x-sla-desk-edge';

let secret: Promise<string | null> | undefined;

async function loadSecret(): Promise<string | null> {
  const arn = config().EDGE_SECRET_ARN;
  if (!arn) return null;
  const client = new SecretsManagerClient({ region: config().AWS_REGION });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  return SecretString ?? null;
}

/** Forgets the secret read (tests; a rotated secret is read again on the next cold start). */
export function forgetEdgeSecret(): void {
  secret = undefined;
}

export async function clientIp(
  headers: Record<string, string | undefined>,
  connectionIp: string,
): Promise<string> {
  const viewer = headers['cloudfront-viewer-address'];
  const proof = headers[EDGE_HEADER];
  if (!viewer || !proof) return connectionIp;
  secret ??= loadSecret().catch((error) => {
    secret = undefined; // read again on the next request
    throw error;
  });
  const expected = await secret;
  if (!expected) return connectionIp;
  const a = Buffer.from(proof);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return connectionIp;
  // "198.51.100.7:46532" or "2001:db8::7:46532": the address without its port.
  return viewer.replace(/:\d{1,5}$/, '');
}
