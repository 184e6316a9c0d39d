// Lambda: the ticket routes (the SLA path).
import { asRoutes, groupHandler } from '../group';
import { ticketRoutes } from '../routes/tickets';

export const handler = groupHandler(asRoutes(ticketRoutes));
