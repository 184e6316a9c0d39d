// The custom resource that activates the stack's receipt rule set: the exact SES calls for each
// request CloudFormation sends, and a physical id that never changes (aws-sdk-client-mock).
import {
  DescribeActiveReceiptRuleSetCommand,
  SESClient,
  SetActiveReceiptRuleSetCommand,
} from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler, onEvent, PHYSICAL_ID, type RuleSetEvent } from '../../functions/mail-rule-set/handler';
import { lambdaContext } from '../../infra/local/gateway';

const ses = mockClient(SESClient);
beforeEach(() => ses.reset());

const event = (RequestType: RuleSetEvent['RequestType'], RuleSetName = 'SlaDesk-inbound'): RuleSetEvent => ({
  RequestType,
  ResourceProperties: { RuleSetName },
});
const activeIs = (name: string | null) =>
  ses.on(DescribeActiveReceiptRuleSetCommand).resolves(name ? { Metadata: { Name: name }, Rules: [] } : {});
const sets = () => ses.commandCalls(SetActiveReceiptRuleSetCommand).map((c) => c.args[0].input);

describe('activating the receipt rule set', () => {
  it('activates ours on create, replacing whatever was active', async () => {
    activeIs('someone-elses');
    expect(await onEvent(new SESClient({}), event('Create'))).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(sets()).toEqual([{ RuleSetName: 'SlaDesk-inbound' }]);
  });

  it('activates a renamed set on update under the same physical id, so CloudFormation deletes nothing', async () => {
    activeIs('SlaDesk-inbound');
    const result = await onEvent(new SESClient({}), event('Update', 'SlaDesk-inbound-2'));
    expect(result.PhysicalResourceId).toBe(PHYSICAL_ID);
    expect(sets()).toEqual([{ RuleSetName: 'SlaDesk-inbound-2' }]);
  });

  it('calls nothing on update when ours is already active', async () => {
    activeIs('SlaDesk-inbound');
    await onEvent(new SESClient({}), event('Update'));
    expect(sets()).toEqual([]);
  });

  it('deactivates on delete only while ours is the active one', async () => {
    activeIs('SlaDesk-inbound');
    await onEvent(new SESClient({}), event('Delete'));
    expect(sets()).toEqual([{}]); // no name: no active set
  });

  it('leaves a set someone activated since, or none, as it is on delete', async () => {
    for (const active of ['activated-later', null]) {
      ses.reset();
      activeIs(active);
      expect(await onEvent(new SESClient({}), event('Delete'))).toEqual({ PhysicalResourceId: PHYSICAL_ID });
      expect(sets(), String(active)).toEqual([]);
    }
  });

  it('answers the provider framework as Lambda invokes it', async () => {
    activeIs(null);
    expect(await handler(event('Create'), lambdaContext())).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(sets()).toEqual([{ RuleSetName: 'SlaDesk-inbound' }]);
  });

  it('fails the deploy when SES refuses, rather than report success', async () => {
    activeIs(null);
    ses.on(SetActiveReceiptRuleSetCommand).rejects(new Error('RuleSetDoesNotExist'));
    await expect(onEvent(new SESClient({}), event('Create'))).rejects.toThrow('RuleSetDoesNotExist');
  });
});
