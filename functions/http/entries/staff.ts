// Lambda: the staff directory: people, their notifications, teams and their on-call, invitations, API keys and staff sessions.
import { asRoutes, groupHandler } from '../group';
import { notificationRoutes } from '../routes/notifications';
import { onCallRoutes } from '../routes/on-call';
import { staffRoutes } from '../routes/staff';

export const routes = asRoutes([...staffRoutes, ...onCallRoutes, ...notificationRoutes]);
export const handler = groupHandler(routes);
