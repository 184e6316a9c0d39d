// Paging: the secrets a page needs (Opsgenie's API key; PagerDuty's webhook signing secret and
// Opsgenie's webhook token, for the acknowledgements they send back; the Slack bot's token is
// the Slack app's construct's), and the grants of a function that may page: End User
// Messaging's SendTextMessage and reading those secrets. The operator fills the secrets in
// after the first deploy (README, "Paging").
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SlaFunction } from './sla-function';

/** End User Messaging's identities a text may go from, or be configured by (registered outside the stack). */
export const SMS_RESOURCES = ['phone-number', 'pool', 'sender-id', 'configuration-set'] as const;

export interface PagingProps {
  /** The Slack app's bot token: direct messages to the person paged. */
  slackBotToken: secrets.ISecret;
  /** The phone number, sender id or pool text messages go from (null: End User Messaging's default). */
  smsOrigination: string | null;
}

export class Paging extends Construct {
  readonly opsgenieKey: secrets.Secret;
  readonly pagerDutyWebhookSecret: secrets.Secret;
  readonly opsgenieWebhookToken: secrets.Secret;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PagingProps,
  ) {
    super(scope, id);
    this.opsgenieKey = new secrets.Secret(this, 'OpsgenieApiKey', {
      description:
        'sla-desk: an Opsgenie API integration’s key (Settings → Integrations → API), for alerts to teams',
    });
    this.pagerDutyWebhookSecret = new secrets.Secret(this, 'PagerDutyWebhookSecret', {
      description:
        'sla-desk: the signing secret of the PagerDuty V3 webhook subscription to POST /integrations/pagerduty',
    });
    // Generated here: the operator pastes it into the Opsgenie integration's custom header.
    this.opsgenieWebhookToken = new secrets.Secret(this, 'OpsgenieWebhookToken', {
      description:
        'sla-desk: the token Opsgenie’s Webhook integration sends to POST /integrations/opsgenie (custom header Authorization: Bearer …)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
  }

  /** Lets a function page: text messages, Opsgenie's key, the Slack bot's token. */
  grantPaging(fn: SlaFunction): void {
    const stack = Stack.of(this);
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: SMS_RESOURCES.map((resource) =>
          stack.formatArn({ service: 'sms-voice', resource, resourceName: '*' }),
        ),
      }),
    );
    this.opsgenieKey.grantRead(fn.fn);
    this.props.slackBotToken.grantRead(fn.fn);
    fn.fn.addEnvironment('OPSGENIE_API_KEY_ARN', this.opsgenieKey.secretArn);
    fn.fn.addEnvironment('SLACK_BOT_TOKEN_ARN', this.props.slackBotToken.secretArn);
    if (this.props.smsOrigination)
      fn.fn.addEnvironment('SMS_ORIGINATION_IDENTITY', this.props.smsOrigination);
  }

  /** Lets the integrations function verify PagerDuty's and Opsgenie's webhooks. */
  grantWebhook(fn: SlaFunction): void {
    this.pagerDutyWebhookSecret.grantRead(fn.fn);
    this.opsgenieWebhookToken.grantRead(fn.fn);
    fn.fn.addEnvironment('PAGERDUTY_WEBHOOK_SECRET_ARN', this.pagerDutyWebhookSecret.secretArn);
    fn.fn.addEnvironment('OPSGENIE_WEBHOOK_TOKEN_ARN', this.opsgenieWebhookToken.secretArn);
  }
}
