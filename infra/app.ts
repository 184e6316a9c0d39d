// The CDK app: one stack, checked by cdk-nag's AwsSolutions rules on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SlaDeskStack } from './sla-desk-stack';

export function buildApp(app = new App()): { app: App; stack: SlaDeskStack } {
  // cdk-nag 3 is a policy-validation plugin, not an Aspect: synth fails on any unacknowledged error.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new SlaDeskStack(app, app.node.tryGetContext('stackName') ?? 'SlaDesk', {
    description: 'sla-desk: a support desk built around SLAs',
  });
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
