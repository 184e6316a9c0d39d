// The portal, the console and the embeddable form on AWS: static files in a private S3
// bucket behind CloudFront (origin access control), and the HTTP API behind the same
// distribution, so that the pages and the API share one origin: the SameSite=Strict session
// cookie is sent, and no CORS is needed. Security headers come from web/headers.ts, the
// same the local runtime serves.
import { Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import { EDGE_HEADER } from '../../functions/app/edge';
import { writeWeb } from '../../web/build';
import { contentSecurityPolicy, embedAncestors } from '../../web/headers';
import { nagEnvironment } from '../nag';

export interface WebSiteProps {
  api: apigw.HttpApi;
  /** The first path segments of the API's routes (`tickets`, `auth`, `openapi.json`, …). */
  apiPrefixes: string[];
  /** Where browsers upload attachments (presigned POSTs): allowed in connect-src. */
  uploadBucket: s3.IBucket;
  /** Server access logs of the buckets. */
  accessLogs: s3.IBucket;
  /** Who may frame /embed.html: `*` or origins separated by spaces. */
  embedOrigins: string;
  /** A domain of the vendor's (e.g. support.vendor.example) with an ACM certificate in us-east-1. */
  domain?: { name: string; certificateArn: string } | undefined;
}

export class WebSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The pages' address: PORTAL_URL, where sign-in links point. */
  readonly url: string;
  /** The value of EDGE_HEADER (a secret): the API trusts CloudFront-Viewer-Address only with it. */
  readonly edgeSecret: secrets.Secret;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Pages', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'pages/',
    });
    // CloudFront's standard logs are written with ACLs: a bucket of their own that allows them.
    const logs = new s3.Bucket(this, 'EdgeLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'edge-logs/',
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    this.edgeSecret = new secrets.Secret(this, 'EdgeSecret', {
      description: 'sla-desk: the header CloudFront sends the API, proving a request came through it',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });

    const uploads = `https://${props.uploadBucket.bucketRegionalDomainName}`;
    const pageHeaders = (name: string, frameAncestors: string) =>
      new cloudfront.ResponseHeadersPolicy(this, name, {
        comment: `sla-desk ${name}: strict CSP, HSTS, nosniff, no referrer`,
        securityHeadersBehavior: {
          contentSecurityPolicy: {
            contentSecurityPolicy: contentSecurityPolicy({ connect: [uploads], frameAncestors }),
            override: true,
          },
          contentTypeOptions: { override: true },
          referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
          strictTransportSecurity: {
            accessControlMaxAge: Duration.days(365),
            includeSubdomains: true,
            override: true,
          },
          ...(frameAncestors === "'none'"
            ? { frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true } }
            : {}),
        },
        // The bundle's name never changes: browsers revalidate (ETag) instead of keeping it.
        customHeadersBehavior: {
          customHeaders: [{ header: 'Cache-Control', value: 'no-cache', override: true }],
        },
      });
    const pages = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const api = new origins.HttpOrigin(
      `${props.api.apiId}.execute-api.${props.api.stack.region}.${props.api.stack.urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        customHeaders: {
          [EDGE_HEADER]: SecretValue.secretsManager(this.edgeSecret.secretArn).unsafeUnwrap(),
        },
      },
    );
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: new cloudfront.OriginRequestPolicy(this, 'ApiRequests', {
        comment: 'sla-desk API: the cookie, the query and the headers the routes read',
        cookieBehavior: cloudfront.OriginRequestCookieBehavior.all(),
        queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
        headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(
          'Content-Type',
          'Idempotency-Key',
          'If-Match',
          'X-Requested-With',
          'CloudFront-Viewer-Address',
        ),
      }),
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {
      '/embed.html': {
        origin: pages,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: pageHeaders('EmbedHeaders', embedAncestors(props.embedOrigins)),
      },
    };
    for (const prefix of props.apiPrefixes) additionalBehaviors[`/${prefix}*`] = apiBehavior;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'sla-desk: the portal, the console and the API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: pages,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: pageHeaders('PageHeaders', "'none'"),
      },
      additionalBehaviors,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
          }
        : {}),
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    const deploy = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(writeWeb())],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    acknowledge(this.distribution, [
      ['AwsSolutions-CFR1', 'Customers of a support desk write from anywhere: no country is refused.'],
      [
        'AwsSolutions-CFR2',
        'The pages are static; the API behind the same distribution has API Gateway throttling, per-address and per-IP limits on sign-in, and authorizes every other route. A WAF web ACL can be attached by the operator.',
      ],
      ...(props.domain
        ? []
        : ([
            [
              'AwsSolutions-CFR4',
              'Without a domain of its own the distribution uses the *.cloudfront.net certificate, whose minimum protocol CloudFront fixes; set webDomain and webCertificateArn to require TLS 1.2 (TLSv1.2_2021).',
            ],
          ] as [string, string][])),
    ]);
    // CDK's own deployment function (a singleton at stack level): it copies the built pages
    // into the bucket and invalidates the distribution; its grants are CDK's, not ours.
    const env = nagEnvironment(Stack.of(this));
    const cdkDeployment =
      'CDK’s BucketDeployment function copies web/dist from the CDK asset bucket into the pages bucket';
    acknowledge(deploy.handlerRole.node.scope!, [
      ['AwsSolutions-L1', `${cdkDeployment}; CDK chooses its runtime.`],
      ...[
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
        `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${env.account}-${env.region}/*`,
      ].map((what) => [`AwsSolutions-IAM5[${what}]`, `${cdkDeployment} (CDK’s grants).`] as [string, string]),
    ]);
  }
}

function acknowledge(scope: IConstruct, rules: [string, string][]): void {
  for (const [id, reason] of rules) Validations.of(scope).acknowledge({ id, reason });
}
