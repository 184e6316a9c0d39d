// Lambda: what other systems send (monitoring alerts). Its routes authenticate their callers
// themselves (a customer's monitoring key), so it has no authorizer.
import { incidentStore } from '../../adapters/aws/incident-store';
import { slackSecrets } from '../../adapters/aws/secrets';
import { jobQueue } from '../../adapters/aws/sqs-jobs';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';

// Slack events: the signing secret to verify them, the queue to file them after the answer;
// monitoring alerts: the incidents they open and end.
addAdapters({ secrets: slackSecrets, jobs: jobQueue, incidents: incidentStore });

import { integrationRoutes } from '../routes/integrations';

export const routes = asRoutes(integrationRoutes);
export const handler = groupHandler(routes);
