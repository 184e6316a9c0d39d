// Secrets from Secrets Manager by ARN, each read once per cold start (a rotated secret is read
// again on the next one); a name with no ARN configured has no secret.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../config';
import type { Secrets } from '../../ports';

type Name = Parameters<Secrets['get']>[0];

export class SecretsManagerSecrets implements Secrets {
  private readonly read = new Map<Name, Promise<string | null>>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly arns: Partial<Record<Name, string | undefined>>,
  ) {}

  get(name: Name): Promise<string | null> {
    const arn = this.arns[name];
    if (!arn) return Promise.resolve(null);
    let value = this.read.get(name);
    if (!value) {
      value = this.client
        .send(new GetSecretValueCommand({ SecretId: arn }))
        .then(({ SecretString }) => SecretString?.trim() || null);
      // A failed read is tried again on the next request.
      value.catch(() => this.read.delete(name));
      this.read.set(name, value);
    }
    return value;
  }
}

/** The Slack app's secrets by the ARNs in the environment (for addAdapters). */
export const slackSecrets = (cfg: Config): Secrets =>
  new SecretsManagerSecrets(new SecretsManagerClient({ region: cfg.AWS_REGION }), {
    'slack-signing-secret': cfg.SLACK_SIGNING_SECRET_ARN,
    'slack-bot-token': cfg.SLACK_BOT_TOKEN_ARN,
  });

/** The OpenID client's secret by its ARN (for addAdapters in the sign-in function). */
export const oidcSecrets = (cfg: Config): Secrets =>
  new SecretsManagerSecrets(new SecretsManagerClient({ region: cfg.AWS_REGION }), {
    'oidc-client-secret': cfg.OIDC_CLIENT_SECRET_ARN,
  });

/** What paging reads: the Opsgenie key, and the Slack bot's token for direct messages. */
export const pagingSecrets = (cfg: Config): Secrets =>
  new SecretsManagerSecrets(new SecretsManagerClient({ region: cfg.AWS_REGION }), {
    'opsgenie-api-key': cfg.OPSGENIE_API_KEY_ARN,
    'slack-bot-token': cfg.SLACK_BOT_TOKEN_ARN,
  });

/** What the integrations function verifies callers with: Slack's and PagerDuty's signing secrets, Opsgenie's token. */
export const integrationSecrets = (cfg: Config): Secrets =>
  new SecretsManagerSecrets(new SecretsManagerClient({ region: cfg.AWS_REGION }), {
    'pagerduty-webhook-secret': cfg.PAGERDUTY_WEBHOOK_SECRET_ARN,
    'opsgenie-webhook-token': cfg.OPSGENIE_WEBHOOK_TOKEN_ARN,
    'slack-signing-secret': cfg.SLACK_SIGNING_SECRET_ARN,
    'slack-bot-token': cfg.SLACK_BOT_TOKEN_ARN,
  });
