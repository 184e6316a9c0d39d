// What API Gateway does in front of the Lambdas, for the local runtime and the tests: match
// a request to a route, build the same payload-v2 event, call the same handler.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { errorReply, type RouteSpec } from '../../functions/http/middleware';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface GatewayRequest {
  method: string;
  /** Path and query string, as on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
  /** The client's address (the socket's, never a header the client could set). */
  sourceIp?: string;
}

interface CompiledRoute {
  routeKey: string;
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Gateway {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly RouteSpec<never, never, never>[], handlers: Record<string, Handler>) {
    this.routes = routes.map((r) => {
      const names: string[] = [];
      const source = r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name) => {
        names.push(name);
        return '([^/]+)';
      });
      return {
        routeKey: `${r.method} ${r.path}`,
        method: r.method,
        pattern: new RegExp(`^${source}$`),
        names,
        handler: handlers[r.operationId]!,
      };
    });
  }

  async invoke(request: GatewayRequest): Promise<APIGatewayProxyStructuredResultV2> {
    const url = new URL(request.url, 'http://localhost');
    for (const route of this.routes) {
      if (route.method !== request.method.toUpperCase()) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const pathParameters: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => {
          pathParameters[name] = decodeURIComponent(match[i + 1]!);
        });
      } catch {
        continue; // a malformed %-escape matches no route, as on API Gateway
      }
      return route.handler(this.event(route.routeKey, request, url, pathParameters), lambdaContext());
    }
    return errorReply(404, 'not-found', `no route ${request.method.toUpperCase()} ${url.pathname}`);
  }

  private event(
    routeKey: string,
    request: GatewayRequest,
    url: URL,
    pathParameters: Record<string, string>,
  ): APIGatewayProxyEventV2 {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams)
      query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
    const now = new Date();
    return {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method: request.method.toUpperCase(),
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: request.sourceIp ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(request.body !== undefined && request.body !== '' ? { body: request.body } : {}),
      isBase64Encoded: false,
    };
  }
}

/** A Lambda context as the runtime passes one (a fresh request id each time). */
export function lambdaContext(): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'sla-desk-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:sla-desk-local',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
