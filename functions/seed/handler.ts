// Runs on every deploy as a CloudFormation custom resource: stores the preset plans (holidays
// expanded) and the first admin key, whose value CDK generated in Secrets Manager.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createApiKey } from '../app/directory';
import { seedPresets } from '../app/presets';
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
    await createApiKey(
      d,
      null,
      { role: 'admin', name: 'admin (Secrets Manager)' },
      secret.SecretString!,
    ).catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // stored on an earlier deploy
    });
    return { PhysicalResourceId: 'sla-desk-seed' };
  },
);
