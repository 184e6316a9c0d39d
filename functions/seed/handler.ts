// Runs on every deploy as a CloudFormation custom resource: stores the preset plans (holidays
// expanded), the first admin (ADMIN_EMAIL) and their key, whose value CDK generated in Secrets Manager.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { seedPresets } from '../app/presets';
import { ensureFirstAdmin } from '../app/staff';
import { config, firstAdmin } from '../config';
import { observed } from '../observability';
import { deps } from '../wiring';

export const handler = observed(
  async (event: {
    RequestType: 'Create' | 'Update' | 'Delete';
    ResourceProperties: { AdminKeySecretArn: string };
  }) => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: 'sla-desk-seed' };
    const d = deps();
    await seedPresets(d, d.clock.now());
    const secret = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: event.ResourceProperties.AdminKeySecretArn }),
    );
    // The key is the first admin's (ADMIN_EMAIL); stored once, on the first deploy.
    await ensureFirstAdmin(d, { key: secret.SecretString!, ...firstAdmin(config()) });
    return { PhysicalResourceId: 'sla-desk-seed' };
  },
);
