// The pages on AWS: a private bucket behind CloudFront with origin access control, strict
// security headers from web/headers.ts, the API behind the same distribution (one origin for
// the SameSite cookie), the embeddable form framable, cdk-nag clean.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { apiPrefixes } from '../../infra/constructs/ticket-api';

const synth = (context: Record<string, unknown> = {}) => {
  const built = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));
  built.app.synth(); // cdk-nag: throws on an unacknowledged error
  return { template: Template.fromStack(built.stack), stack: built.stack };
};

let template: Template;
type Behavior = Record<string, unknown> & { PathPattern?: string };
let config: {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: {
    Id: string;
    S3OriginConfig?: unknown;
    OriginAccessControlId?: unknown;
    OriginCustomHeaders?: unknown;
  }[];
  ViewerCertificate?: Record<string, unknown>;
  Aliases?: string[];
  Logging?: unknown;
  DefaultRootObject?: string;
};
const headersPolicies = () =>
  Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy')).map(
    (p) => p.Properties.ResponseHeadersPolicyConfig,
  );

beforeAll(() => {
  template = synth().template;
  config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties
    .DistributionConfig;
});

describe('the web site', () => {
  it('serves the pages from a private bucket through origin access control, over HTTPS, logged', () => {
    const pages = config.Origins.find((o) => o.S3OriginConfig)!;
    expect(pages.OriginAccessControlId).toBeDefined();
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        SigningBehavior: 'always',
        OriginAccessControlOriginType: 's3',
      }),
    });
    // Only CloudFront, for this distribution, may read the pages.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });

  it('sends the pages with a strict CSP, no framing but the embeddable form, HSTS and nosniff', () => {
    const policies = headersPolicies();
    const csp = (p: (typeof policies)[number]) =>
      JSON.stringify(p.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    const page = policies.find((p) => csp(p).includes("frame-ancestors 'none'"))!;
    const embed = policies.find((p) => csp(p).includes('frame-ancestors *'))!;
    for (const p of [page, embed]) {
      expect(csp(p)).toContain("script-src 'self'");
      expect(csp(p)).not.toContain('unsafe');
      // Uploads go to the mail bucket's own address, and nowhere else.
      expect(csp(p)).toContain('connect-src');
      expect(p.SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec).toBe(31_536_000);
      expect(p.SecurityHeadersConfig.ContentTypeOptions.Override).toBe(true);
    }
    expect(page.SecurityHeadersConfig.FrameOptions.FrameOption).toBe('DENY');
    expect(embed.SecurityHeadersConfig.FrameOptions).toBeUndefined();
    const embedBehavior = config.CacheBehaviors.find((b) => b.PathPattern === '/embed.html')!;
    expect(embedBehavior.ResponseHeadersPolicyId).toBeDefined();
  });

  it('puts every API route behind the same origin, uncached, with the cookie, the edge secret and the viewer’s address', () => {
    const api = config.Origins.find((o) => o.OriginCustomHeaders)!;
    expect(JSON.stringify(api.OriginCustomHeaders)).toContain('x-sla-desk-edge');
    expect(JSON.stringify(api.OriginCustomHeaders)).toContain('resolve:secretsmanager');
    const prefixes = apiPrefixes();
    expect(prefixes).toEqual(
      expect.arrayContaining(['auth', 'tickets', 'uploads', 'customers', 'openapi.json']),
    );
    for (const prefix of prefixes) {
      const behavior = config.CacheBehaviors.find((b) => b.PathPattern === `/${prefix}*`)!;
      expect(behavior, prefix).toBeDefined();
      expect(behavior.TargetOriginId).toBe(api.Id);
      expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'PATCH']));
      expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
    }
    template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        CookiesConfig: { CookieBehavior: 'all' },
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: Match.arrayWith(['If-Match', 'X-Requested-With', 'CloudFront-Viewer-Address']),
        },
      }),
    });
    // Sign-in links point at the distribution; the auth function may read the edge secret.
    const auth = Object.values(template.findResources('AWS::Lambda::Function')).find((f) =>
      String(f.Properties.Description).includes('sign-in links'),
    )!;
    expect(JSON.stringify(auth.Properties.Environment.Variables.PORTAL_URL)).toContain('DomainName');
    expect(auth.Properties.Environment.Variables.EDGE_SECRET_ARN).toBeDefined();
  });

  it('lets browsers POST uploads to the bucket, and nothing else cross-origin', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['POST'], AllowedOrigins: ['*'] })],
      },
    });
  });

  it('takes a domain of the vendor’s with TLS 1.2, and refuses half of one or a bad embed origin', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const own = synth({ webDomain: 'support.vendor.example', webCertificateArn: arn }).template;
    const dist = Object.values(own.findResources('AWS::CloudFront::Distribution'))[0]!.Properties
      .DistributionConfig;
    expect(dist.Aliases).toEqual(['support.vendor.example']);
    expect(dist.ViewerCertificate).toMatchObject({
      AcmCertificateArn: arn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    expect(() => synth({ webDomain: 'support.vendor.example' })).toThrow(
      /webDomain and webCertificateArn together/,
    );
    expect(() => synth({ embedOrigins: 'javascript:alert(1)' })).toThrow(/embed origin/);
    const restricted = synth({ embedOrigins: 'https://www.vendor.example https://vendor.example' }).template;
    const policies = Object.values(restricted.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(JSON.stringify(policies)).toContain(
      'frame-ancestors https://www.vendor.example https://vendor.example',
    );
  });
});
