// Deployment settings from CDK context (cdk.json or -c key=value), with defaults that synth.
import type { Construct } from 'constructs';

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
}

export function settingsOf(scope: Construct): Settings {
  const get = (key: string): string | undefined => scope.node.tryGetContext(key);
  const domain = get('domain') ?? 'support.example.com';
  return {
    stage: get('stage') ?? 'prod',
    domain,
    senderEmail: get('senderEmail') ?? `support@${domain}`,
    supportRecipients: (get('supportRecipients') ?? `support@${domain}`).split(',').map((s) => s.trim()),
    escalationEmail: get('escalationEmail') ?? `escalations@${domain}`,
    teamEmail: get('teamEmail') ?? `support-team@${domain}`,
    alarmEmail: get('alarmEmail') ?? null,
    breachAlarmPerHour: wholeNumber('breachAlarmPerHour', get('breachAlarmPerHour') ?? '5', 1, 100_000),
    reportTimeZone: get('reportTimeZone') ?? 'UTC',
    corsOrigin: get('corsOrigin') ?? null,
    embedOrigins: get('embedOrigins') ?? '*',
    webDomain: webDomainOf(get('webDomain'), get('webCertificateArn')),
  };
}

function wholeNumber(key: string, text: string | number, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${key} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return n;
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
