// Lambda: the ticket routes (the SLA path).
// It imports only its own routes, so its bundle carries only their dependencies.
import { asRoutes, groupHandler } from '../group';
import { ticketRoutes } from '../routes/tickets';

export const routes = asRoutes(ticketRoutes);
export const handler = groupHandler(routes);
