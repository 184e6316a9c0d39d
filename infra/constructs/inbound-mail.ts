// Inbound mail: an SES receipt rule set (the support recipients from context) whose rule
// first stores the raw message in the mail bucket (S3 action), then invokes the inbound-mail
// function (Lambda action, Event). CloudFormation cannot activate a rule set, so an
// AwsCustomResource calls SetActiveReceiptRuleSet. The bucket is encrypted, private, TLS only,
// and expires raw mail and quarantine after their retention.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { SlaFunction } from './sla-function';

export interface InboundMailProps {
  environment: Record<string, string>;
  recipients: string[];
  senderDomain: string;
}

export class InboundMail extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly function: SlaFunction;
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    this.bucket = new s3.Bucket(this, 'Mail', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'mail/',
      lifecycleRules: [
        { id: 'raw-mail', prefix: 'inbound/', expiration: Duration.days(30) },
        { id: 'quarantine', prefix: 'quarantine/', expiration: Duration.days(90) },
      ],
    });
    this.function = new SlaFunction(this, 'Function', {
      entry: 'inbound-mail/handler.ts',
      description: 'sla-desk: a received mail becomes a ticket, a message or a quarantine record',
      environment: { ...props.environment, MAIL_BUCKET: this.bucket.bucketName, INBOUND_PREFIX: 'inbound/' },
      timeout: Duration.minutes(2),
      memorySize: 1024,
    });

    const ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: props.recipients,
          scanEnabled: true,
          tlsPolicy: ses.TlsPolicy.REQUIRE,
          actions: [
            new actions.S3({ bucket: this.bucket, objectKeyPrefix: 'inbound/' }),
            new actions.Lambda({
              function: this.function.fn,
              invocationType: actions.LambdaInvocationType.EVENT,
            }),
          ],
        },
      ],
    });

    new cr.AwsCustomResource(this, 'ActivateRuleSet', {
      onUpdate: {
        service: 'SES',
        action: 'setActiveReceiptRuleSet',
        parameters: { RuleSetName: ruleSet.receiptRuleSetName },
        physicalResourceId: cr.PhysicalResourceId.of(`active-${ruleSet.receiptRuleSetName}`),
      },
      onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // SetActiveReceiptRuleSet has no resource-level permissions.
        new iam.PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });

    new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.domain(props.senderDomain) });
    this.configurationSet = new ses.ConfigurationSet(this, 'Events', {
      reputationMetrics: true,
      sendingEnabled: true,
    });
    Stack.of(this);
  }
}
