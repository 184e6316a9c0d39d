// Lambda: plans (read), customers, devices, monitoring keys, shared tickets, onsite partners.
// It imports only its own routes, so its bundle carries only their dependencies.
import { partnerStore } from '../../adapters/aws/partners';
import { sharedTickets } from '../../adapters/aws/shared-tickets';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';

addAdapters({ shared: sharedTickets, partners: partnerStore });

import { directoryRoutes } from '../routes/directory';
import { partnerRoutes } from '../routes/partners';

export const routes = asRoutes([...directoryRoutes, ...partnerRoutes]);
export const handler = groupHandler(routes);
