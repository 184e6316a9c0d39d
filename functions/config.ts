// Environment, read once and validated: a missing or malformed variable fails at start with
// its name. Defaults make the local runtime work with nothing set.
import * as z from 'zod';

const Env = z.object({
  TICKETS_TABLE: z.string().min(3).default('sla-desk-tickets'),
  DIRECTORY_TABLE: z.string().min(3).default('sla-desk-directory'),
  INCIDENTS_TABLE: z.string().min(3).default('sla-desk-incidents'),
  REPORTS_TABLE: z.string().min(3).default('sla-desk-reports'),
  INTEGRATIONS_TABLE: z.string().min(3).default('sla-desk-integrations'),
  /** Set locally (DynamoDB Local); unset on AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().default('eu-north-1'),
  /** How long a POST /tickets Idempotency-Key is remembered. */
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),

  SCHEDULES_TABLE: z.string().min(3).default('sla-desk-schedules'),
  SCHEDULE_GROUP: z.string().min(1).default('sla-desk'),
  ESCALATION_FUNCTION_ARN: z.string().optional(),
  SCHEDULER_ROLE_ARN: z.string().optional(),
  DEADLINE_DLQ_ARN: z.string().optional(),

  /** The From of every mail the desk sends (an SES-verified identity on AWS). */
  SENDER_EMAIL: z.email().default('support@sla-desk.local'),
  /** Where every breach is escalated, besides the plan's contacts and the assignee. */
  ESCALATION_EMAIL: z.email().default('escalations@sla-desk.local'),
  /** Who hears of a warning when the ticket has no assignee. */
  TEAM_EMAIL: z.email().default('support-team@sla-desk.local'),
  SES_CONFIGURATION_SET: z.string().optional(),
  /** Text-message pages (End User Messaging): the registered number, sender id or pool they come from. */
  SMS_ORIGINATION_IDENTITY: z.string().optional(),
  SMS_CONFIGURATION_SET: z.string().optional(),
  /** Opsgenie's API (EU accounts: https://api.eu.opsgenie.com). */
  OPSGENIE_API_URL: z.url().default('https://api.opsgenie.com'),
  /** The live console's WebSocket API (wss://…/live) on AWS; locally the runtime's server-sent events. */
  LIVE_URL: z
    .string()
    .regex(/^wss:\/\/\S+$/, 'expected a wss:// URL')
    .optional(),
  /** Its Management API endpoint (https://…/live), where events are posted to connections. */
  LIVE_ENDPOINT: z.url().optional(),
  OPSGENIE_API_KEY_ARN: z.string().optional(),
  /** The signing secret of the PagerDuty V3 webhook subscription (acknowledgements come back by it). */
  PAGERDUTY_WEBHOOK_SECRET_ARN: z.string().optional(),
  /** The token Opsgenie's Webhook integration sends (its custom header Authorization: Bearer …). */
  OPSGENIE_WEBHOOK_TOKEN_ARN: z.string().optional(),
  /** The domain of Message-IDs (`<TKT-...@domain>`). */
  MAIL_DOMAIN: z.string().min(1).default('sla-desk.local'),

  INBOUND_TABLE: z.string().min(3).default('sla-desk-inbound'),
  /** Raw inbound mail, attachments and quarantine (S3 on AWS). */
  MAIL_BUCKET: z.string().optional(),
  /** The region holiday tables (npm run build:holidays), beside the code of the functions that store plans. */
  HOLIDAY_DATA_DIR: z.string().optional(),
  /** Where SES's S3 action writes raw messages: key = prefix + SES messageId. */
  INBOUND_PREFIX: z.string().default('inbound/'),
  /** Larger messages are quarantined, not parsed. */
  MAX_INBOUND_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Automatic replies to one sender per day, at most. */
  AUTO_REPLIES_PER_DAY: z.coerce.number().int().min(0).default(3),
  /** Where refused senders are pointed to (supportFormUrl: the portal unless set). */
  SUPPORT_FORM_URL: z.url().optional(),

  /** The first admin's address: the owner of the deployment's first key (admin@MAIL_DOMAIN unless set). */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_NAME: z.string().min(1).max(200).default('Admin'),

  /** Where the portal is: sign-in links point to PORTAL_URL/#/signin/<token> */
  PORTAL_URL: z.url().default('http://localhost:3000'),
  /**
   * The secret CloudFront sends in x-sla-desk-edge (AWS): only then is CloudFront-Viewer-Address
   * taken as the caller's address. Unset locally: the connection's address counts.
   */
  EDGE_SECRET_ARN: z.string().optional(),
  /** How long a browser stays signed in. */
  SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),

  /**
   * Single sign-on for staff (OpenID Connect, authorization code with PKCE). Unset: staff sign in
   * by link or key. The client secret comes from Secrets Manager (OIDC_CLIENT_SECRET_ARN) on AWS
   * or OIDC_CLIENT_SECRET locally; without either the desk is a public client (PKCE only).
   */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET_ARN: z.string().optional(),
  /** What the console's button says: "Sign in with …". */
  OIDC_LABEL: z.string().min(1).max(60).default('single sign-on'),
  OIDC_SCOPES: z.string().default('openid email profile'),
  /** E-mail domains whose people may sign in, separated by commas or spaces; unset: any. */
  OIDC_ALLOWED_DOMAINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(/[\s,]+/)
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Whether people the directory does not know become staff on their first sign-in. */
  OIDC_CREATE_UNKNOWN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Claims to roles and teams, as JSON (domain/staff.ts SsoMapping; read by sso.ts, checked at start). */
  OIDC_MAPPING: z.string().max(20_000).default('{}'),
  /** Where the provider sends the browser back: PORTAL_URL/auth/sso/callback unless set. */
  OIDC_REDIRECT_URL: z.url().optional(),

  /** The queue of jobs run after an answer (SQS on AWS: deliveries, Slack events). */
  JOBS_QUEUE_URL: z.string().optional(),
  /** The queue of the monthly report's units, one customer each (AWS). */
  REPORTS_QUEUE_URL: z.string().optional(),
  /** Secrets Manager ARNs of the Slack app's signing secret and bot token (AWS). */
  SLACK_SIGNING_SECRET_ARN: z.string().optional(),
  SLACK_BOT_TOKEN_ARN: z.string().optional(),
  /** The same, as values (the local runtime). */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  /** Locally, the secrets that are ARNs on AWS. */
  OPSGENIE_API_KEY: z.string().min(1).optional(),
  PAGERDUTY_WEBHOOK_SECRET: z.string().min(1).optional(),
  OPSGENIE_WEBHOOK_TOKEN: z.string().min(16).optional(),
  /**
   * Webhooks may go to this machine (loopback): the local runtime's own tests and demos. Private,
   * link-local and metadata addresses are refused everywhere, always.
   */
  WEBHOOKS_ALLOW_LOOPBACK: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Webhooks may use http:// (the local runtime); on AWS only https://. */
  WEBHOOKS_ALLOW_HTTP: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),

  /** The deployment's time zone: the monthly report runs when a month ends there. */
  REPORT_TIME_ZONE: z.string().default('UTC'),
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
