// Lambda: the staff directory: people, their notifications and live console, teams and their on-call, invitations, API keys and staff sessions.
import { asRoutes, groupHandler } from '../group';
import { liveRoutes } from '../routes/live';
import { notificationRoutes } from '../routes/notifications';
import { onCallRoutes } from '../routes/on-call';
import { staffRoutes } from '../routes/staff';

export const routes = asRoutes([...staffRoutes, ...onCallRoutes, ...notificationRoutes, ...liveRoutes]);
export const handler = groupHandler(routes);
