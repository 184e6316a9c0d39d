// The Lambda handler of one route group (route-groups.ts): API Gateway's routeKey picks the route.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { errorReply, type RouteSpec, routeHandler } from './middleware';

export function groupHandler(routes: readonly RouteSpec<never, never, never>[]) {
  const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, routeHandler(r)]));
  return async (event: APIGatewayProxyEventV2, context: Context) => {
    const handler = byKey.get(event.routeKey);
    return handler ? handler(event, context) : errorReply(404, 'not-found', `no route ${event.routeKey}`);
  };
}

export const asRoutes = (routes: unknown) => routes as readonly RouteSpec<never, never, never>[];
