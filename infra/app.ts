// The CDK app: one stack, checked by cdk-nag's AwsSolutions rules on every synth.
import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SlaDeskStack } from './sla-desk-stack';

/** The account and region the CDK CLI resolved (its profile), so the stack checks its region at synth. */
const fromCli = (): Environment => ({
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});

export function buildApp(app = new App(), env = fromCli()): { app: App; stack: SlaDeskStack } {
  // cdk-nag 3 is a policy-validation plugin, not an Aspect: synth fails on any unacknowledged error.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new SlaDeskStack(app, app.node.tryGetContext('stackName') ?? 'SlaDesk', {
    description: 'sla-desk: a support desk built around SLAs',
    env,
  });
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
