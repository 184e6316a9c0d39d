// A CloudFormation custom resource: makes the stack's receipt rule set the region's active one
// (an account has one active set per region: the stack owns it, README says so), and on delete
// deactivates it only while it is still the active one, so a set someone activated since is
// left alone. Its physical id never changes: a new rule set name is an update, never a
// replacement whose delete would run after the new set was activated.
import {
  DescribeActiveReceiptRuleSetCommand,
  SESClient,
  SetActiveReceiptRuleSetCommand,
} from '@aws-sdk/client-ses';
import { logger, observed } from '../observability';

export const PHYSICAL_ID = 'sla-desk-active-receipt-rule-set';

export interface RuleSetEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResourceProperties: { RuleSetName: string };
}

export async function onEvent(ses: SESClient, event: RuleSetEvent): Promise<{ PhysicalResourceId: string }> {
  const ours = event.ResourceProperties.RuleSetName;
  const { Metadata } = await ses.send(new DescribeActiveReceiptRuleSetCommand({}));
  const active = Metadata?.Name ?? null;
  if (event.RequestType === 'Delete') {
    if (active === ours) await ses.send(new SetActiveReceiptRuleSetCommand({}));
    else logger.info('receipt rule set not active: left as it is', { ours, active });
  } else if (active !== ours) {
    if (active) logger.warn('replacing the active receipt rule set', { replaced: active, ours });
    await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: ours }));
  }
  return { PhysicalResourceId: PHYSICAL_ID };
}

const ses = new SESClient({});
export const handler = observed((event: RuleSetEvent) => onEvent(ses, event));
