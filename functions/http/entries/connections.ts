// Lambda: a customer's webhooks, failed deliveries and linked Slack channels (admins).
import { asRoutes, groupHandler } from '../group';
import { connectionRoutes } from '../routes/connections';

export const routes = asRoutes(connectionRoutes);
export const handler = groupHandler(routes);
