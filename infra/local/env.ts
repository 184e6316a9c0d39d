// The environment of `npm start`, validated once: a bad value stops the start with its name.
// ADMIN_API_KEY must be a key a client can send, or the admin would be locked out.
import * as z from 'zod';
import { isSendableKey } from '../../functions/app/directory';
import { embedAncestors } from '../../web/headers';

export const LocalEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('.sla-desk'),
  ADMIN_API_KEY: z
    .string()
    .min(16, 'ADMIN_API_KEY must be at least 16 characters')
    .refine(isSendableKey, 'ADMIN_API_KEY must be at most 200 characters with no white space')
    .optional(),
  CLOCK: z.enum(['system', 'virtual']).default('system'),
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  HOST: z.string().default('127.0.0.1'),
  /** Where links in mail point: the runtime's own address (http://localhost:PORT) unless set. */
  PORTAL_URL: z.url().optional(),
  /** Where a refused sender is pointed to: the portal unless set. */
  SUPPORT_FORM_URL: z.url().optional(),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  /** Staff sign in through a local OpenID provider unless OIDC_ISSUER names a real one. */
  LOCAL_SSO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  EMBED_ORIGINS: z
    .string()
    .default('*')
    .refine((v) => {
      try {
        embedAncestors(v);
        return true;
      } catch {
        return false;
      }
    }, 'EMBED_ORIGINS must be * or origins such as https://www.vendor.example, separated by spaces'),
});
export type LocalEnv = z.infer<typeof LocalEnv>;

/** The parsed environment, or the problems, one line each (`NAME: message`). */
export function readLocalEnv(env: NodeJS.ProcessEnv): { env: LocalEnv } | { problems: string[] } {
  const parsed = LocalEnv.safeParse(env);
  if (parsed.success) return { env: parsed.data };
  return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}
