// Lambda: incidents, the quarantine list, reports (read and run).
import { asRoutes, groupHandler } from '../group';
import { incidentRoutes } from '../routes/incidents';
import { quarantineRoutes } from '../routes/quarantine';
import { reportRoutes } from '../routes/reports';

export const handler = groupHandler(asRoutes([...incidentRoutes, ...quarantineRoutes, ...reportRoutes]));
