// One Lambda per route group: the group's routes share permissions and dependencies, so a
// group is one bundle with one least-privilege role (tickets never carry date-holidays, the
// plans group never writes tickets). API Gateway's routeKey picks the route.
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
