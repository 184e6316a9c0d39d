// Lambda: a customer's webhooks, failed deliveries and linked Slack channels (admins).
import { integrationStore } from '../../adapters/aws/integration-store';
import { jobQueue } from '../../adapters/aws/sqs-jobs';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';

addAdapters({ integrations: integrationStore, jobs: jobQueue });

import { connectionRoutes } from '../routes/connections';

export const routes = asRoutes(connectionRoutes);
export const handler = groupHandler(routes);
