// Lambda: what other systems send (monitoring alerts). Its routes authenticate their callers
// themselves (a customer's monitoring key), so it has no authorizer.
import { asRoutes, groupHandler } from '../group';
import { integrationRoutes } from '../routes/integrations';

export const routes = asRoutes(integrationRoutes);
export const handler = groupHandler(routes);
