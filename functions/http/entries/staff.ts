// Lambda: the staff directory: people, teams and their on-call, invitations, API keys and staff sessions.
import { asRoutes, groupHandler } from '../group';
import { onCallRoutes } from '../routes/on-call';
import { staffRoutes } from '../routes/staff';

export const routes = asRoutes([...staffRoutes, ...onCallRoutes]);
export const handler = groupHandler(routes);
