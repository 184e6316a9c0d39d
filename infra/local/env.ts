// The environment of `npm start`, validated once: a bad value stops the start with its name.
// ADMIN_API_KEY must be a key a client can send, or the admin would be locked out.
import * as z from '../../domain/zod';
import { isSendableKey } from '../../functions/app/directory';
import { embedAncestors } from '../../web/headers';

export const LocalEnv = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535)), 3000),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), '.sla-desk'),
  ADMIN_API_KEY: z.optional(
    z
      .string()
      .check(
        z.minLength(16, 'ADMIN_API_KEY must be at least 16 characters'),
        z.refine(isSendableKey, 'ADMIN_API_KEY must be at most 200 characters with no white space'),
      ),
  ),
  CLOCK: z._default(z.enum(['system', 'virtual']), 'system'),
  CLOCK_START: z.optional(z.iso.datetime({ offset: true })),
  HOST: z._default(z.string(), '127.0.0.1'),
  /** Where links in mail point: the runtime's own address (http://localhost:PORT) unless set. */
  PORTAL_URL: z.optional(z.url()),
  /** Where a refused sender is pointed to: the portal unless set. */
  SUPPORT_FORM_URL: z.optional(z.url()),
  SMTP_PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535)), 2525),
  /** Staff sign in through a local OpenID provider unless OIDC_ISSUER names a real one. */
  LOCAL_SSO: z.pipe(
    z._default(z.enum(['true', 'false']), 'true'),
    z.transform((v) => v === 'true'),
  ),
  EMBED_ORIGINS: z._default(z.string(), '*').check(
    z.refine((v) => {
      try {
        embedAncestors(v);
        return true;
      } catch {
        return false;
      }
    }, 'EMBED_ORIGINS must be * or origins such as https://www.vendor.example, separated by spaces'),
  ),
});
export type LocalEnv = z.infer<typeof LocalEnv>;

/** The parsed environment, or the problems, one line each (`NAME: message`). */
export function readLocalEnv(env: NodeJS.ProcessEnv): { env: LocalEnv } | { problems: string[] } {
  const parsed = LocalEnv.safeParse(env);
  if (parsed.success) return { env: parsed.data };
  return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}
