// Lambda: incidents, the quarantine list, reports (read and run).
// It imports only its own routes, so its bundle carries only their dependencies.
import { asRoutes, groupHandler } from '../group';
import { incidentRoutes } from '../routes/incidents';
import { quarantineRoutes } from '../routes/quarantine';
import { reportRoutes } from '../routes/reports';

export const routes = asRoutes([...incidentRoutes, ...quarantineRoutes, ...reportRoutes]);
export const handler = groupHandler(routes);
