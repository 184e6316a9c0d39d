// Environment, read once and validated: a missing or malformed variable fails at start with
// its name. Defaults make the local runtime work with nothing set.
import { senderProblem } from '../domain/sender';
import * as z from '../domain/zod';

const Env = z.object({
  TICKETS_TABLE: z._default(z.string().check(z.minLength(3)), 'sla-desk-tickets'),
  DIRECTORY_TABLE: z._default(z.string().check(z.minLength(3)), 'sla-desk-directory'),
  INCIDENTS_TABLE: z._default(z.string().check(z.minLength(3)), 'sla-desk-incidents'),
  REPORTS_TABLE: z._default(z.string().check(z.minLength(3)), 'sla-desk-reports'),
  INTEGRATIONS_TABLE: z._default(z.string().check(z.minLength(3)), 'sla-desk-integrations'),
  /** Set locally (DynamoDB Local); unset on AWS. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string(), 'eu-north-1'),
  /** How long a POST /tickets Idempotency-Key is remembered. */
  IDEMPOTENCY_TTL_HOURS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(24 * 30)), 24),

  SCHEDULES_TABLE: z._default(z.string().check(z.minLength(3)), 'sla-desk-schedules'),
  SCHEDULE_GROUP: z._default(z.string().check(z.minLength(1)), 'sla-desk'),
  ESCALATION_FUNCTION_ARN: z.optional(z.string()),
  SCHEDULER_ROLE_ARN: z.optional(z.string()),
  DEADLINE_DLQ_ARN: z.optional(z.string()),

  /** The From of every mail the desk sends (an SES-verified identity on AWS): `address` or `Name <address>`. */
  SENDER_EMAIL: z._default(
    z.string().check(
      z.superRefine((value, ctx) => {
        const problem = senderProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
      }),
    ),
    'support@sla-desk.local',
  ),
  /** Where every breach is escalated, besides the plan's contacts and the assignee. */
  ESCALATION_EMAIL: z._default(z.email(), 'escalations@sla-desk.local'),
  /** Who hears of a warning when the ticket has no assignee. */
  TEAM_EMAIL: z._default(z.email(), 'support-team@sla-desk.local'),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  /** Text-message pages (End User Messaging): the registered number, sender id or pool they come from. */
  SMS_ORIGINATION_IDENTITY: z.optional(z.string()),
  SMS_CONFIGURATION_SET: z.optional(z.string()),
  /** Opsgenie's API (EU accounts: https://api.eu.opsgenie.com). */
  OPSGENIE_API_URL: z._default(z.url(), 'https://api.opsgenie.com'),
  /** The live console's WebSocket API (wss://…/live) on AWS; locally the runtime's server-sent events. */
  LIVE_URL: z.optional(z.string().check(z.regex(/^wss:\/\/\S+$/, 'expected a wss:// URL'))),
  /** Its Management API endpoint (https://…/live), where events are posted to connections. */
  LIVE_ENDPOINT: z.optional(z.url()),
  OPSGENIE_API_KEY_ARN: z.optional(z.string()),
  /** The signing secret of the PagerDuty V3 webhook subscription (acknowledgements come back by it). */
  PAGERDUTY_WEBHOOK_SECRET_ARN: z.optional(z.string()),
  /** The token Opsgenie's Webhook integration sends (its custom header Authorization: Bearer …). */
  OPSGENIE_WEBHOOK_TOKEN_ARN: z.optional(z.string()),
  /** The domain of Message-IDs (`<TKT-...@domain>`). */
  MAIL_DOMAIN: z._default(z.string().check(z.minLength(1)), 'sla-desk.local'),

  INBOUND_TABLE: z._default(z.string().check(z.minLength(3)), 'sla-desk-inbound'),
  /** Raw inbound mail, attachments and quarantine (S3 on AWS). */
  MAIL_BUCKET: z.optional(z.string()),
  /** The region holiday tables (npm run build:holidays), beside the code of the functions that store plans. */
  HOLIDAY_DATA_DIR: z.optional(z.string()),
  /** Where SES's S3 action writes raw messages: key = prefix + SES messageId. */
  INBOUND_PREFIX: z._default(z.string(), 'inbound/'),
  /** Larger messages are quarantined, not parsed. */
  MAX_INBOUND_BYTES: z._default(z.coerce.number().check(z.int(), z.gte(1024)), 10 * 1024 * 1024),
  /** Automatic replies to one sender per day, at most. */
  AUTO_REPLIES_PER_DAY: z._default(z.coerce.number().check(z.int(), z.gte(0)), 3),
  /** Where refused senders are pointed to (supportFormUrl: the portal unless set). */
  SUPPORT_FORM_URL: z.optional(z.url()),

  /** The first admin's address: the owner of the deployment's first key (admin@MAIL_DOMAIN unless set). */
  ADMIN_EMAIL: z.optional(z.email()),
  ADMIN_NAME: z._default(z.string().check(z.minLength(1), z.maxLength(200)), 'Admin'),

  /** Where the portal is: sign-in links point to PORTAL_URL/#/signin/<token> */
  PORTAL_URL: z._default(z.url(), 'http://localhost:3000'),
  /**
   * The secret CloudFront sends in x-sla-desk-edge (AWS): only then is CloudFront-Viewer-Address
   * taken as the caller's address. Unset locally: the connection's address counts.
   */
  EDGE_SECRET_ARN: z.optional(z.string()),
  /** How long a browser stays signed in. */
  SESSION_HOURS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(24 * 30)), 12),

  /**
   * Single sign-on for staff (OpenID Connect, authorization code with PKCE). Unset: staff sign in
   * by link or key. The client secret comes from Secrets Manager (OIDC_CLIENT_SECRET_ARN) on AWS
   * or OIDC_CLIENT_SECRET locally; without either the desk is a public client (PKCE only).
   */
  OIDC_ISSUER: z.optional(z.url()),
  OIDC_CLIENT_ID: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
  OIDC_CLIENT_SECRET: z.optional(z.string().check(z.minLength(1))),
  OIDC_CLIENT_SECRET_ARN: z.optional(z.string()),
  /** What the console's button says: "Sign in with …". */
  OIDC_LABEL: z._default(z.string().check(z.minLength(1), z.maxLength(60)), 'single sign-on'),
  OIDC_SCOPES: z._default(z.string(), 'openid email profile'),
  /** E-mail domains whose people may sign in, separated by commas or spaces; unset: any. */
  OIDC_ALLOWED_DOMAINS: z.pipe(
    z._default(z.string(), ''),
    z.transform((v) =>
      v
        .split(/[\s,]+/)
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    ),
  ),
  /** Whether people the directory does not know become staff on their first sign-in. */
  OIDC_CREATE_UNKNOWN: z.pipe(
    z._default(z.enum(['true', 'false']), 'false'),
    z.transform((v) => v === 'true'),
  ),
  /** Claims to roles and teams, as JSON (domain/staff.ts SsoMapping; read by sso.ts, checked at start). */
  OIDC_MAPPING: z._default(z.string().check(z.maxLength(20_000)), '{}'),
  /** Where the provider sends the browser back: PORTAL_URL/auth/sso/callback unless set. */
  OIDC_REDIRECT_URL: z.optional(z.url()),

  /** The queue of jobs run after an answer (SQS on AWS: deliveries, Slack events). */
  JOBS_QUEUE_URL: z.optional(z.string()),
  /** The queue of the monthly report's units, one customer each (AWS). */
  REPORTS_QUEUE_URL: z.optional(z.string()),
  /** Secrets Manager ARNs of the Slack app's signing secret and bot token (AWS). */
  SLACK_SIGNING_SECRET_ARN: z.optional(z.string()),
  SLACK_BOT_TOKEN_ARN: z.optional(z.string()),
  /** The same, as values (the local runtime). */
  SLACK_SIGNING_SECRET: z.optional(z.string().check(z.minLength(1))),
  SLACK_BOT_TOKEN: z.optional(z.string().check(z.minLength(1))),
  /** Locally, the secrets that are ARNs on AWS. */
  OPSGENIE_API_KEY: z.optional(z.string().check(z.minLength(1))),
  PAGERDUTY_WEBHOOK_SECRET: z.optional(z.string().check(z.minLength(1))),
  OPSGENIE_WEBHOOK_TOKEN: z.optional(z.string().check(z.minLength(16))),
  /**
   * Webhooks may go to this machine (loopback): the local runtime's own tests and demos. Private,
   * link-local and metadata addresses are refused everywhere, always.
   */
  WEBHOOKS_ALLOW_LOOPBACK: z.pipe(
    z._default(z.enum(['true', 'false']), 'false'),
    z.transform((v) => v === 'true'),
  ),
  /** Webhooks may use http:// (the local runtime); on AWS only https://. */
  WEBHOOKS_ALLOW_HTTP: z.pipe(
    z._default(z.enum(['true', 'false']), 'false'),
    z.transform((v) => v === 'true'),
  ),

  /** The deployment's time zone: the monthly report runs when a month ends there. */
  REPORT_TIME_ZONE: z._default(z.string(), 'UTC'),
});
export type Config = z.infer<typeof Env>;

let cached: Config | undefined;

export function config(): Config {
  if (!cached) {
    const parsed = Env.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`invalid environment: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/**
 * What config() would refuse in `environment` (a function's variables at synth, the values known
 * then): `NAME: why` each. The stack checks every function with it, so that no deploy ships an
 * environment its functions refuse at every cold start.
 */
export function environmentProblems(environment: Record<string, string>): string[] {
  const parsed = Env.safeParse(environment);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** Forget the cached environment (the local runtime and tests set it before wiring). */
export function resetConfig(): void {
  cached = undefined;
}

/** An address under the portal: `path` such as `/#/signin/<token>` or `/auth/sso/callback`. */
export const portalAt = (cfg: Config, path: string): string => `${cfg.PORTAL_URL.replace(/\/$/, '')}${path}`;

/** Where a refused sender is pointed to: SUPPORT_FORM_URL, else the portal (which has the form). */
export function supportFormUrl(cfg: Config): string {
  return cfg.SUPPORT_FORM_URL ?? cfg.PORTAL_URL;
}

/** A setting every function on AWS that uses it must have (locally some are absent): read when first needed. */
export function required(
  cfg: Config,
  name:
    | 'ESCALATION_FUNCTION_ARN'
    | 'SCHEDULER_ROLE_ARN'
    | 'DEADLINE_DLQ_ARN'
    | 'MAIL_BUCKET'
    | 'HOLIDAY_DATA_DIR'
    | 'JOBS_QUEUE_URL'
    | 'REPORTS_QUEUE_URL'
    | 'LIVE_ENDPOINT',
): string {
  const value = cfg[name];
  if (!value) throw new Error(`invalid environment: ${name} is required on AWS`);
  return value;
}

/** The first admin: ADMIN_EMAIL, else admin@ the mail domain. */
export const firstAdmin = (cfg: Config) => ({
  email: cfg.ADMIN_EMAIL ?? `admin@${cfg.MAIL_DOMAIN}`,
  name: cfg.ADMIN_NAME,
});
