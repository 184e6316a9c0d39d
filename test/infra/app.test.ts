import { App, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';

describe('CDK app', () => {
  it('synthesises offline with cdk-nag AwsSolutions applied', () => {
    const { app, stack } = buildApp(new App());
    expect(() => app.synth()).not.toThrow();
    expect(Template.fromStack(stack).toJSON()).toBeTypeOf('object');
  });

  it('fails synth when a resource breaks an AwsSolutions rule', () => {
    const { app, stack } = buildApp(new App());
    new s3.Bucket(stack, 'Careless'); // no TLS-only policy, no access logs
    expect(() => app.synth()).toThrow(/AwsSolutions-S(1|10)/);
  });
});
