// Every Lambda of sla-desk: an esbuild CommonJS bundle (minified, source maps) on the Node.js
// runtime of the deployment's settings (22 unless told: offered in every receiving region), arm64, its own log group with a retention, its own
// least-privilege role (no AWS managed policy), Powertools logger settings.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { environmentProblems } from '../../functions/config';
import { DEFAULT_RUNTIME, runtimeOf } from './settings';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export interface SlaFunctionProps {
  /** Path under functions/, e.g. `http/entries/tickets.ts`. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  /** At most this many at once (a single writer: 1). */
  reservedConcurrency?: number;
  /**
   * Bundle the SDK's presigning helpers (@aws-sdk/s3-presigned-post, s3-request-presigner):
   * the runtime ships the clients, not promisedly these. Only the functions that presign.
   */
  presigns?: boolean;
  /** Files or folders shipped beside the code, each named to the function by an environment variable. */
  beside?: Beside[];
}

/** A file or folder a function reads at run time: copied to /var/task/<name>, its path in `env`. */
export interface Beside {
  name: string;
  from: string;
  env: string;
}

/** The region holiday tables (npm run build:holidays), beside the functions that store plans. */
export const HOLIDAY_DATA: Beside = {
  name: 'holiday-data',
  from: join(ROOT, 'functions', 'holiday-data'),
  env: 'HOLIDAY_DATA_DIR',
};

export class SlaFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SlaFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (least privilege)`,
    });
    // Its own log group only, instead of AWSLambdaBasicExecutionRole.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const runtime = runtimeOf(this);
    if (runtime.name === DEFAULT_RUNTIME) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `${DEFAULT_RUNTIME} is offered in every region SES receives mail in; -c nodeRuntime=nodejs24.x where the region has it.`,
      });
    }
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(ROOT, 'functions', props.entry),
      handler: 'handler',
      description: props.description,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      timeout: props.timeout ?? Duration.seconds(29),
      role: this.role,
      logGroup,
      environment: {
        ...props.environment,
        ...Object.fromEntries((props.beside ?? []).map((b) => [b.env, `/var/task/${b.name}`])),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'sla-desk',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        AWS_ACCOUNT_ID: Stack.of(this).account,
      },
      bundling: {
        // CommonJS: the runtime's SDK (CommonJS) is then required, not imported, which skips
        // Node's ESM-to-CommonJS export scan and halves the cold start (npm run bench:bundles).
        format: OutputFormat.CJS,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        // The Node.js runtime ships the AWS SDK v3 clients.
        externalModules: props.presigns ? ['@aws-sdk/client-*', '@aws-sdk/lib-dynamodb'] : ['@aws-sdk/*'],
        ...(props.beside?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) =>
                  props.beside!.map((b) => `cp -r "${b.from}" "${join(output, b.name)}"`),
              },
            }
          : {}),
      },
    });
    // Every variable known at synth, as config() will read it at each cold start (values that
    // are references, resolved only at deploy, are left out).
    this.node.addValidation({
      validate: () => {
        const resolved = Stack.of(this).resolve(
          (this.fn.node.defaultChild as lambda.CfnFunction).environment,
        );
        const known = Object.fromEntries(
          Object.entries((resolved?.variables ?? {}) as Record<string, unknown>).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        );
        return environmentProblems(known).map((p) => `${this.node.path}: invalid environment: ${p}`);
      },
    });
    // The function reads its role's ARN, so CloudFormation orders it after the role anyway:
    // DependsOn names only the role's policy, which it must wait for (cfn-lint W3005).
    const policy = this.role.node.findChild('DefaultPolicy').node.defaultChild as CfnResource;
    (this.fn.node.defaultChild as CfnResource).addOverride('DependsOn', [policy.logicalId]);
  }
}
