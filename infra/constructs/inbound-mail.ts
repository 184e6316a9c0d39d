// Inbound mail: an SES receipt rule set (the support recipients from context) whose one rule
// first stores the raw message in the mail bucket (S3 action), then invokes the inbound-mail
// function (Lambda action, Event). SES may do either only for this rule of this account
// (aws:SourceArn and aws:SourceAccount). CloudFormation cannot activate a rule set, so a custom
// resource of our own does (functions/mail-rule-set), unless the operator keeps that to
// themselves (activateRuleSet=false). The bucket is encrypted, private, TLS only, logged, and
// keeps each prefix as long as README's retention table says.
import { CfnOutput, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { SlaFunction } from './sla-function';

export interface InboundMailProps {
  environment: Record<string, string>;
  recipients: string[];
  senderDomain: string;
  /** Make the rule set the region's active one (the stack then owns that choice). */
  activate: boolean;
}

/** The one rule of the set: its name is part of the ARN SES acts as. */
const RULE_NAME = 'support-mail';

export class InboundMail extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly function: SlaFunction;
  readonly configurationSet: ses.ConfigurationSet;
  readonly ruleSetName: string;
  /** The custom resource's function that activates the rule set, when the stack does. */
  readonly activation: SlaFunction | undefined;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Log delivery by bucket policy (no ACLs): see the feature flag set in SlaDeskStack.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    this.bucket = new s3.Bucket(this, 'Mail', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'mail/',
      lifecycleRules: MAIL_BUCKET_RETENTION,
    });
    this.configurationSet = new ses.ConfigurationSet(this, 'Events', {
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.function = new SlaFunction(this, 'Function', {
      entry: 'inbound-mail/handler.ts',
      description: 'sla-desk: a received mail becomes a ticket, a message or a quarantine record',
      environment: {
        ...props.environment,
        MAIL_BUCKET: this.bucket.bucketName,
        INBOUND_PREFIX: 'inbound/',
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
      },
      timeout: Duration.minutes(2),
      memorySize: 1024,
    });

    this.ruleSetName = `${stack.stackName.slice(0, 56)}-inbound`;
    const ruleArn = stack.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${this.ruleSetName}:receipt-rule/${RULE_NAME}`,
    });
    const asThisRule = {
      StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': ruleArn },
    };
    const ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: this.ruleSetName });
    ruleSet.addRule('Support', {
      receiptRuleName: RULE_NAME,
      recipients: props.recipients,
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      actions: [
        {
          bind: (rule) => {
            this.bucket.addToResourcePolicy(
              new iam.PolicyStatement({
                actions: ['s3:PutObject'],
                principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
                resources: [this.bucket.arnForObjects('inbound/*')],
                conditions: asThisRule,
              }),
            );
            // SES checks that it may write when the rule is created.
            rule.node.addDependency(this.bucket.policy!);
            return { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: 'inbound/' } };
          },
        },
        {
          bind: (rule) => {
            this.function.fn.addPermission('InvokedBySes', {
              principal: new iam.ServicePrincipal('ses.amazonaws.com'),
              sourceAccount: stack.account,
              sourceArn: ruleArn,
            });
            rule.node.addDependency(this.function.fn.permissionsNode.findChild('InvokedBySes'));
            return { lambdaAction: { functionArn: this.function.fn.functionArn, invocationType: 'Event' } };
          },
        },
      ],
    });

    // The DNS records a fresh account needs: DKIM (Easy DKIM, 2048-bit) and the MX of this region.
    const identity = new ses.EmailIdentity(this, 'Sender', {
      identity: ses.Identity.domain(props.senderDomain),
    });
    identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(stack, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description:
          'Publish in the domain’s DNS: SES signs the desk’s mail with DKIM once all three resolve',
      });
    });
    new CfnOutput(stack, 'MxRecord', {
      value: `${props.senderDomain} MX 10 inbound-smtp.${stack.region}.amazonaws.com`,
      description:
        'Publish in the domain’s DNS: mail for the support recipients then reaches SES in this region',
    });
    new CfnOutput(stack, 'ReceiptRuleSetName', {
      value: this.ruleSetName,
      description: props.activate
        ? "The receipt rule set this stack made the region's active one"
        : `Activate it yourself: aws ses set-active-receipt-rule-set --rule-set-name ${this.ruleSetName}`,
    });

    this.activation = props.activate ? this.activate(ruleSet) : undefined;
  }

  /**
   * A custom resource that makes the rule set the active one, and on delete deactivates it only
   * while it still is: its physical id never changes, so replacing the set is an update.
   */
  private activate(ruleSet: ses.ReceiptRuleSet): SlaFunction {
    const fn = new SlaFunction(this, 'Activation', {
      entry: 'mail-rule-set/handler.ts',
      description:
        "sla-desk: makes the stack's receipt rule set the active one; on delete, deactivates only its own",
      environment: {},
      timeout: Duration.minutes(1),
    });
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        // Neither call has resource-level permissions.
        actions: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
        resources: ['*'],
      }),
    );
    const provider = new cr.Provider(this, 'ActivationProvider', { onEventHandler: fn.fn });
    const resource = new CustomResource(this, 'ActiveRuleSet', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ActiveReceiptRuleSet',
      properties: { RuleSetName: this.ruleSetName },
    });
    resource.node.addDependency(ruleSet);
    return fn;
  }
}

/**
 * How long the mail bucket keeps each prefix. Raw mail is parsed within seconds and kept a month
 * for inquiries; quarantine for review; attachments, uploads and reports as long as the tickets
 * and reports that name them (cheaper storage once they are rarely read).
 */
export const MAIL_BUCKET_RETENTION: s3.LifecycleRule[] = [
  { id: 'raw-mail', prefix: 'inbound/', expiration: Duration.days(30) },
  { id: 'quarantine', prefix: 'quarantine/', expiration: Duration.days(90) },
  ...['attachments/', 'uploads/', 'reports/'].map((prefix) => ({
    id: `${prefix.slice(0, -1)}-kept`,
    prefix,
    transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) }],
  })),
  { id: 'unfinished-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
];
