// Deployment settings from CDK context (cdk.json or -c key=value). Everything synthesises
// without context; the mail domain, when not given, becomes the template's MailDomain
// parameter, so no placeholder domain ever reaches an identity, a recipient or a function.
import { Aws, CfnParameter, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { senderProblem } from '../../domain/sender';

export interface Settings {
  stage: string;
  /** The mail domain: Message-IDs, the SES identity and inbound recipients. */
  domain: string;
  senderEmail: string;
  /** Addresses SES receives support mail for. */
  supportRecipients: string[];
  escalationEmail: string;
  teamEmail: string;
  /** Alarms are mailed here when set. */
  alarmEmail: string | null;
  /** Deadline breaches within an hour, over all customers, that raise the breach-rate alarm. */
  breachAlarmPerHour: number;
  reportTimeZone: string;
  /** Allowed origin of the ticket web form (CORS); none when unset. */
  corsOrigin: string | null;
  /** Who may frame the embeddable form: `*` or origins separated by spaces. */
  embedOrigins: string;
  /** The pages' own domain, with its ACM certificate (us-east-1); CloudFront's otherwise. */
  webDomain: { name: string; certificateArn: string } | undefined;
  /** Whether the stack makes its receipt rule set the region's active one (else the operator does). */
  activateRuleSet: boolean;
  /** Regions where SES receives mail: the stack deploys only there. */
  receivingRegions: string[];
  /** The first admin, owner of the first key (ADMIN_EMAIL). */
  adminEmail: string;
  /** End User Messaging's phone number, sender id or pool that text-message pages go from (`-c smsOrigination=…`). */
  smsOrigination: string | null;
  /** Staff single sign-on: an issuer of your own, or (none given) a Cognito user pool the stack makes. */
  sso: SsoSettings;
}

export interface SsoSettings {
  /** OpenID issuer URL (Entra ID, Google, Okta…); unset: the stack's own Cognito user pool. */
  issuer: string | null;
  clientId: string | null;
  /** Secrets Manager ARN of the client secret (none: a public client, PKCE only). */
  clientSecretArn: string | null;
  label: string | null;
  allowedDomains: string;
  createUnknown: boolean;
  /** OIDC_MAPPING as JSON. */
  mapping: string | null;
  /** The Cognito managed login's domain prefix (<prefix>.auth.<region>.amazoncognito.com). */
  cognitoDomainPrefix: string | null;
}

/**
 * Regions where SES receives mail (AWS General Reference, "Email receiving endpoints"). Where
 * AWS has added one since, `-c sesReceivingRegions=<region>,...` replaces this list.
 */
export const SES_RECEIVING_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
];

/** The Lambda runtimes a deployment may choose; the default is offered in every receiving region. */
export const RUNTIMES: Record<string, lambda.Runtime> = {
  'nodejs22.x': lambda.Runtime.NODEJS_22_X,
  'nodejs24.x': lambda.Runtime.NODEJS_24_X,
};
export const DEFAULT_RUNTIME = 'nodejs22.x';

const context =
  (scope: Construct) =>
  (key: string): string | undefined =>
    scope.node.tryGetContext(key);

export function settingsOf(scope: Construct): Settings {
  const get = context(scope);
  const domain = get('domain') ?? mailDomainParameter(scope);
  return {
    stage: get('stage') ?? 'prod',
    domain,
    senderEmail: senderOf(get('senderEmail') ?? `support@${domain}`),
    supportRecipients: (get('supportRecipients') ?? `support@${domain}`).split(',').map((s) => s.trim()),
    escalationEmail: get('escalationEmail') ?? `escalations@${domain}`,
    teamEmail: get('teamEmail') ?? `support-team@${domain}`,
    alarmEmail: get('alarmEmail') ?? null,
    breachAlarmPerHour: wholeNumber('breachAlarmPerHour', get('breachAlarmPerHour') ?? '5', 1, 100_000),
    reportTimeZone: get('reportTimeZone') ?? 'UTC',
    corsOrigin: get('corsOrigin') ?? null,
    embedOrigins: get('embedOrigins') ?? '*',
    webDomain: webDomainOf(get('webDomain'), get('webCertificateArn')),
    activateRuleSet: yesOrNo('activateRuleSet', get('activateRuleSet') ?? 'true'),
    receivingRegions:
      get('sesReceivingRegions')
        ?.split(',')
        .map((s) => s.trim()) ?? SES_RECEIVING_REGIONS,
    adminEmail: get('adminEmail') ?? `admin@${domain}`,
    smsOrigination: get('smsOrigination') ?? null,
    sso: ssoOf(get),
  };
}

function ssoOf(get: (key: string) => string | undefined): SsoSettings {
  const issuer = get('oidcIssuer') ?? null;
  const clientId = get('oidcClientId') ?? null;
  if (issuer && !clientId)
    throw new Error('oidcIssuer needs oidcClientId (the app registration’s client id)');
  if (issuer && !/^https:\/\/\S+$/.test(issuer))
    throw new Error(`oidcIssuer must be an https:// URL, not ${JSON.stringify(issuer)}`);
  return {
    issuer,
    clientId,
    clientSecretArn: get('oidcClientSecretArn') ?? null,
    label: get('oidcLabel') ?? null,
    allowedDomains: get('oidcAllowedDomains') ?? '',
    createUnknown: yesOrNo('oidcCreateUnknown', get('oidcCreateUnknown') ?? (issuer ? 'false' : 'true')),
    mapping: get('oidcMapping') ?? null,
    cognitoDomainPrefix: get('cognitoDomainPrefix') ?? null,
  };
}

/** The functions' runtime: `-c nodeRuntime=nodejs24.x` where the region offers it. */
export function runtimeOf(scope: Construct): lambda.Runtime {
  const name = context(scope)('nodeRuntime') ?? DEFAULT_RUNTIME;
  const runtime = RUNTIMES[name];
  if (!runtime) {
    throw new Error(
      `nodeRuntime must be one of ${Object.keys(RUNTIMES).join(', ')}, not ${JSON.stringify(name)}`,
    );
  }
  return runtime;
}

/** The template's MailDomain parameter (one per stack), required at deploy: no default. */
function mailDomainParameter(scope: Construct): string {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('MailDomain') as CfnParameter | undefined;
  const parameter =
    existing ??
    new CfnParameter(stack, 'MailDomain', {
      type: 'String',
      description:
        'The mail domain of the desk (support.yourcompany.com): its SES identity, recipients and Message-IDs. Or -c domain=... at synth.',
      allowedPattern: '^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
      constraintDescription: 'a lower-case domain name such as support.yourcompany.com',
    });
  return parameter.valueAsString;
}

/** `address` or `Name <address>` (an unresolved domain is the deploy's MailDomain parameter). */
function senderOf(value: string): string {
  const problem = Token.isUnresolved(value) ? null : senderProblem(value);
  if (problem) throw new Error(`senderEmail: ${problem} (address, or 'Support Desk <support@your.domain>')`);
  return value;
}

function wholeNumber(key: string, text: string | number, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${key} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return n;
}

function yesOrNo(key: string, text: string | boolean): boolean {
  if (text === true || text === 'true') return true;
  if (text === false || text === 'false') return false;
  throw new Error(`${key} must be true or false, not ${JSON.stringify(text)}`);
}

function webDomainOf(name: string | undefined, certificateArn: string | undefined) {
  if (!name && !certificateArn) return undefined;
  if (!name || !certificateArn) {
    throw new Error(
      'set webDomain and webCertificateArn together (an ACM certificate in us-east-1 for the domain)',
    );
  }
  return { name, certificateArn };
}

/**
 * SES receives mail in some regions only: a region known at synth (the CLI's, or the stack's
 * env) must be one of them, or synth fails; an environment-agnostic template carries the same
 * check as a rule that fails the deploy before anything is created.
 */
export function requireReceivingRegion(stack: Stack, regions: readonly string[]): void {
  const why = `SES receives mail only in ${regions.join(', ')}: deploy sla-desk in one of them (or -c sesReceivingRegions=... where AWS has added one)`;
  if (!Token.isUnresolved(stack.region)) {
    if (!regions.includes(stack.region)) throw new Error(`${stack.region}: ${why}`);
    return;
  }
  new CfnRule(stack, 'SesReceivingRegion', {
    assertions: [{ assert: Fn.conditionContains([...regions], Aws.REGION), assertDescription: why }],
  });
}
