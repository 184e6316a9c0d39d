// The HTTP API: API Gateway v2 with every route of the contract, each served by the function
// of its group (functions/http/group.ts), which checks the caller itself; default route
// throttling, JSON access logs, optional CORS for the ticket form.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stage } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { openApiDocument } from '../../functions/http/openapi';
import { ROUTE_GROUPS, type RouteGroup } from '../../functions/http/route-groups';
import { ROUTES } from '../../functions/http/routes/index';
import { logAccess } from './access-logs';
import { type Beside, HOLIDAY_DATA, SlaFunction } from './sla-function';

/**
 * The OpenAPI document, generated from the route table at synth and shipped beside the openapi
 * function, which then carries none of the routes (the local runtime serves the same document).
 */
function openApiFile(scope: Construct): Beside {
  const dir = join(Stage.of(scope)!.outdir, 'openapi');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(openApiDocument(ROUTES)));
  return { name: 'openapi.json', from: join(dir, 'openapi.json'), env: 'OPENAPI_DOCUMENT' };
}

export interface TicketApiProps {
  environment: Record<string, string>;
  corsOrigin: string | null;
}

const GROUPS: Record<
  RouteGroup,
  { description: string; routes: readonly { method: string; path: string }[] }
> = {
  ...ROUTE_GROUPS,
  openapi: {
    description: 'sla-desk API: the OpenAPI document',
    routes: [{ method: 'GET', path: '/openapi.json' }],
  },
};

/** The first path segments of every route (`tickets`, `auth`, `openapi.json`, …): CloudFront sends these to the API. */
export function apiPrefixes(): string[] {
  const paths = Object.values(GROUPS).flatMap((g) => g.routes.map((r) => r.path));
  return [...new Set(paths.map((p) => p.split('/')[1]!))].sort();
}

export class TicketApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly functions: Record<RouteGroup, SlaFunction>;

  constructor(scope: Construct, id: string, props: TicketApiProps) {
    super(scope, id);
    // No Lambda authorizer: a request carries an API key or a session cookie, and API Gateway
    // caches an authorizer's answer only by identity sources every request has, so one could not
    // cache and every request ran two functions. Each route's function authenticates the caller
    // itself (functions/http/middleware.ts principalOf: the key's hash or the session, cached
    // 10 s per warm function), before any handler runs; routes marked public check their own
    // credential (a signature, a link's token) or none (the API document).
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'sla-desk: tickets with SLA clocks',
      ...(props.corsOrigin
        ? {
            corsPreflight: {
              allowOrigins: [props.corsOrigin],
              allowHeaders: [
                'authorization',
                'content-type',
                'idempotency-key',
                'if-match',
                'x-requested-with',
              ],
              allowMethods: [
                apigw.CorsHttpMethod.GET,
                apigw.CorsHttpMethod.POST,
                apigw.CorsHttpMethod.PUT,
                apigw.CorsHttpMethod.PATCH,
                apigw.CorsHttpMethod.DELETE,
              ],
              exposeHeaders: ['etag', 'idempotent-replayed'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const stage = this.api.defaultStage!.node.defaultChild as apigw.CfnStage;
    logAccess(this, stage, {
      latency: '$context.responseLatency',
    });
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };

    this.functions = {} as Record<RouteGroup, SlaFunction>;
    for (const [group, spec] of Object.entries(GROUPS) as [RouteGroup, (typeof GROUPS)[RouteGroup]][]) {
      const fn = new SlaFunction(this, `${group[0]!.toUpperCase()}${group.slice(1)}`, {
        entry: `http/entries/${group}.ts`,
        description: spec.description,
        environment: props.environment,
        presigns: group === 'files',
        // The search index is held in memory (100 000 tickets: about 1 GB; npm run bench:search).
        ...(group === 'search' ? { memorySize: 3008 } : {}),
        ...(group === 'plans' ? { beside: [HOLIDAY_DATA] } : {}),
        ...(group === 'openapi' ? { beside: [openApiFile(this)] } : {}),
      });
      this.functions[group] = fn;
      const integration = new HttpLambdaIntegration(`${group}Integration`, fn.fn);
      for (const route of spec.routes) {
        this.api.addRoutes({
          path: route.path,
          methods: [route.method as apigw.HttpMethod],
          integration,
        });
      }
    }
  }
}
