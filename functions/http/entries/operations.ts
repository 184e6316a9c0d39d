// Lambda: incidents, the quarantine list, reports (read and run).
// It imports only its own routes, so its bundle carries only their dependencies.
import { inboundStore } from '../../adapters/aws/inbound-store';
import { incidentStore } from '../../adapters/aws/incident-store';
import { reportStore } from '../../adapters/aws/report-store';
import { reportQueue } from '../../adapters/aws/sqs-reports';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';

addAdapters({ inbound: inboundStore, incidents: incidentStore, reports: reportStore, reportQueue });

import { incidentRoutes } from '../routes/incidents';
import { quarantineRoutes } from '../routes/quarantine';
import { reportRoutes } from '../routes/reports';

export const routes = asRoutes([...incidentRoutes, ...quarantineRoutes, ...reportRoutes]);
export const handler = groupHandler(routes);
