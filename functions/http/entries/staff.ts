// Lambda: the staff directory: people, teams, invitations, API keys and staff sessions.
import { asRoutes, groupHandler } from '../group';
import { staffRoutes } from '../routes/staff';

export const routes = asRoutes(staffRoutes);
export const handler = groupHandler(routes);
