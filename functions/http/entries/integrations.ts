// Lambda: what other systems send (monitoring alerts, Slack events, PagerDuty's acknowledgements)
// and a page's one-time link. Its routes authenticate their callers themselves (a customer's
// monitoring key, a signature, the link's token), so it has no authorizer.
import { incidentStore } from '../../adapters/aws/incident-store';
import { integrationSecrets } from '../../adapters/aws/secrets';
import { jobQueue } from '../../adapters/aws/sqs-jobs';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';

// Slack events and PagerDuty's webhooks: the signing secrets to verify them, the queue to file
// Slack's after the answer; monitoring alerts: the incidents they open and end.
addAdapters({ secrets: integrationSecrets, jobs: jobQueue, incidents: incidentStore });

import { integrationRoutes } from '../routes/integrations';

export const routes = asRoutes(integrationRoutes);
export const handler = groupHandler(routes);
