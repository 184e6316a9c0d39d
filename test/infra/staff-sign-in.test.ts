// Staff single sign-on in the CDK app: by default a Cognito user pool with managed login (no
// self sign-up, required MFA, a public client held to the code flow), and the sign-in function
// pointed at it; with -c oidcIssuer, the operator's provider and no pool.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import type { SlaDeskStack } from '../../infra/sla-desk-stack';

const synth = (context: Record<string, string> = {}) => {
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }), {});
  return { stack, template: Template.fromStack(stack) };
};

const authEnv = (stack: SlaDeskStack, template: Template) => {
  const id = stack.getLogicalId(stack.api.functions.auth.fn.node.defaultChild as never);
  return template.toJSON().Resources[id].Properties.Environment.Variables as Record<string, unknown>;
};

describe('staff sign-in', () => {
  it('makes a Cognito user pool with managed login when no issuer is given', () => {
    const { stack, template } = synth();
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email']),
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 2);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const env = authEnv(stack, template);
    expect(JSON.stringify(env.OIDC_ISSUER)).toContain('cognito-idp.');
    expect(env.OIDC_MAPPING).toContain('cognito:groups');
    expect(env.OIDC_CREATE_UNKNOWN).toBe('true');
    expect(JSON.stringify(env.OIDC_REDIRECT_URL)).toContain('/auth/sso/callback');
    expect(env.OIDC_CLIENT_SECRET_ARN).toBeUndefined();
  });

  it('points at the operator’s provider with -c oidcIssuer, its secret readable by the sign-in function only', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sla-desk-entra-AbCdEf';
    const { stack, template } = synth({
      oidcIssuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      oidcClientId: '11111111-2222-3333-4444-555555555555',
      oidcClientSecretArn: arn,
      oidcAllowedDomains: 'vendor.example',
      oidcMapping: '{"roleClaim":"roles","admin":["Desk.Admin"],"agent":["Desk.Agent"]}',
    });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    const env = authEnv(stack, template);
    expect(env).toMatchObject({
      OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      OIDC_CLIENT_SECRET_ARN: arn,
      OIDC_ALLOWED_DOMAINS: 'vendor.example',
      OIDC_CREATE_UNKNOWN: 'false',
    });
    const readers = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, p]) =>
      JSON.stringify(p).includes('sla-desk-entra'),
    );
    expect(readers).toHaveLength(1);
  });

  it('refuses an issuer without a client id, or one not on https', () => {
    expect(() => synth({ oidcIssuer: 'https://accounts.google.com' })).toThrow(/oidcClientId/);
    expect(() => synth({ oidcIssuer: 'http://idp.example', oidcClientId: 'x' })).toThrow(/https/);
  });
});
