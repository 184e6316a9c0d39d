// A real OpenID provider on this machine (oidc-provider, a certified implementation): what the
// local runtime and the tests sign staff in through. Its login page takes any address (and any
// password): the desk decides who that address may be. Codes need PKCE; the consent step is
// skipped, as for a first-party client of a company's own provider.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface LocalOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** `ann.lee@acme.test` → `Ann Lee`. */
const nameOf = (email: string) =>
  (email.split('@')[0] ?? email)
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');

export async function startLocalOidc(options: {
  redirectUri: string;
  port?: number;
  host?: string;
  /** Claims beyond the address and name, per login (groups for the role mapping, say). */
  claimsOf?: (login: string) => Record<string, unknown>;
}): Promise<LocalOidc> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;
  const clientId = 'sla-desk-local';
  const clientSecret = 'sla-desk-local-secret-not-for-production';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    conformIdTokenClaims: false, // the ID token carries the claims (no userinfo call needed)
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['sla-desk-local-oidc-cookie-key'] },
    async findAccount(_ctx, sub) {
      const email = sub.includes('@') ? sub.toLowerCase() : `${sub.toLowerCase()}@example.test`;
      return {
        accountId: sub,
        async claims() {
          return { sub, email, email_verified: true, name: nameOf(email), ...options.claimsOf?.(email) };
        },
      };
    },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  // Its development warnings (dev keys, dev interactions) say what this is: a local provider.
  provider.on('server_error', (_ctx, error) => console.error('local OpenID provider:', error));
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
