// Staff single sign-on: the settings of an OpenID provider of your own (Entra ID, Google
// Workspace, Okta: README, "Single sign-on"), or, when none is given, an Amazon Cognito user
// pool with its managed login: people are added to it (or invited) by an admin in the AWS
// console, its groups `admins` and `agents` give the role, and the desk's app client is a
// public client (no secret) held to the authorization code flow with PKCE.
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SsoSettings } from './settings';
import type { SlaFunction } from './sla-function';

/** The Cognito groups' claim and names: what the default mapping reads. */
const COGNITO_MAPPING = JSON.stringify({
  roleClaim: 'cognito:groups',
  admin: ['admins'],
  agent: ['agents'],
  otherwise: null,
});

export class StaffSignIn extends Construct {
  readonly userPool: cognito.UserPool | null = null;
  readonly environment: Record<string, string>;
  private readonly secret: secrets.ISecret | null = null;

  constructor(scope: Construct, id: string, props: { sso: SsoSettings; portalUrl: string }) {
    super(scope, id);
    const { sso, portalUrl } = props;
    const callback = `${portalUrl}/auth/sso/callback`;
    const common = {
      OIDC_ALLOWED_DOMAINS: sso.allowedDomains,
      OIDC_CREATE_UNKNOWN: String(sso.createUnknown),
      OIDC_REDIRECT_URL: callback,
    };
    if (sso.issuer) {
      if (sso.clientSecretArn)
        this.secret = secrets.Secret.fromSecretCompleteArn(this, 'ClientSecret', sso.clientSecretArn);
      this.environment = {
        ...common,
        OIDC_ISSUER: sso.issuer,
        OIDC_CLIENT_ID: sso.clientId!,
        OIDC_LABEL: sso.label ?? 'single sign-on',
        ...(sso.mapping ? { OIDC_MAPPING: sso.mapping } : {}),
        ...(sso.clientSecretArn ? { OIDC_CLIENT_SECRET_ARN: sso.clientSecretArn } : {}),
      };
      return;
    }
    const pool = new cognito.UserPool(this, 'Staff', {
      selfSignUpEnabled: false, // admins add or invite people
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: cognito.Mfa.REQUIRED, // staff accounts see every customer's tickets

      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool = pool;
    for (const group of ['admins', 'agents'])
      new cognito.CfnUserPoolGroup(this, `Group${group}`, { userPoolId: pool.userPoolId, groupName: group });
    pool.addDomain('Login', {
      cognitoDomain: {
        domainPrefix: sso.cognitoDomainPrefix ?? Fn.join('-', ['sla-desk', Aws.ACCOUNT_ID]),
      },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const client = pool.addClient('Desk', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [callback],
      },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.minutes(60),
    });
    new cognito.CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: pool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.environment = {
      ...common,
      OIDC_ISSUER: `https://cognito-idp.${Aws.REGION}.amazonaws.com/${pool.userPoolId}`,
      OIDC_CLIENT_ID: client.userPoolClientId,
      OIDC_LABEL: sso.label ?? 'your staff account',
      OIDC_MAPPING: sso.mapping ?? COGNITO_MAPPING,
    };
  }

  /** Gives the sign-in function its settings (and the client secret, where there is one). */
  configure(fn: SlaFunction): void {
    for (const [k, v] of Object.entries(this.environment)) fn.fn.addEnvironment(k, v);
    this.secret?.grantRead(fn.fn);
  }
}
