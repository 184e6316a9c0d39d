// The exact requests the AWS adapters send, asserted with aws-sdk-client-mock.
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { atExpression, EventBridgeScheduler } from '../../../functions/adapters/aws/scheduler';
import { SesMailer } from '../../../functions/adapters/aws/ses-mailer';

const scheduler = mockClient(SchedulerClient);
const ses = mockClient(SESClient);
beforeEach(() => {
  scheduler.reset();
  ses.reset();
});

const settings = {
  group: 'sla-desk-prod',
  targetArn: 'arn:aws:lambda:eu-north-1:123456789012:function:escalation',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-north-1:123456789012:deadlines-dlq',
};
const breach = {
  clock: 'response' as const,
  cycle: 1,
  kind: 'breach' as const,
  at: Date.parse('2026-11-23T12:00:00.250Z'),
  generation: 3,
};

describe('EventBridge Scheduler adapter', () => {
  it('creates a one-shot UTC schedule in the group, deleted after completion, with retries and a DLQ', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await new EventBridgeScheduler(new SchedulerClient({}), settings).schedule('TKT-7K3QF9M2XA', [breach]);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input)).toEqual([
      {
        Name: 'TKT-7K3QF9M2XA.response.breach.g3',
        GroupName: 'sla-desk-prod',
        ScheduleExpression: 'at(2026-11-23T12:00:01)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: settings.targetArn,
          RoleArn: settings.roleArn,
          Input: JSON.stringify({
            ticketId: 'TKT-7K3QF9M2XA',
            clock: 'response',
            kind: 'breach',
            generation: 3,
          }),
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: settings.deadLetterArn },
        },
      },
    ]);
  });

  it('treats a ConflictException as already scheduled, and other errors as errors', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    await expect(
      new EventBridgeScheduler(new SchedulerClient({}), settings).schedule('TKT-1', [breach]),
    ).resolves.toBeUndefined();
    scheduler.on(CreateScheduleCommand).rejects(new Error('throttled'));
    await expect(
      new EventBridgeScheduler(new SchedulerClient({}), settings).schedule('TKT-1', [breach]),
    ).rejects.toThrow('throttled');
  });

  it('deletes by name in the group, and a schedule already gone is fine', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await new EventBridgeScheduler(new SchedulerClient({}), settings).cancel('TKT-7K3QF9M2XA', [
      breach,
      { ...breach, kind: 'warning' },
    ]);
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'TKT-7K3QF9M2XA.response.breach.g3', GroupName: 'sla-desk-prod' },
      { Name: 'TKT-7K3QF9M2XA.response.warning.g3', GroupName: 'sla-desk-prod' },
    ]);
  });

  it('rounds at() up to the next whole second so that it never fires before the deadline', () => {
    expect(atExpression(Date.parse('2026-11-23T12:00:00.000Z'))).toBe('at(2026-11-23T12:00:00)');
    expect(atExpression(Date.parse('2026-11-23T12:00:59.001Z'))).toBe('at(2026-11-23T12:01:00)');
  });
});

describe('SES mailer', () => {
  it('sends raw MIME with text, HTML, threading headers, the configuration set, and no header injection', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });
    await new SesMailer(new SESClient({}), 'support@vendor.test', 'sla-desk-events').send({
      to: ['ops@acme.test', 'bob@vendor.test\r\nBcc: evil@x.test'],
      subject: '[TKT-1] SLA breach\r\nBcc: evil@x.test',
      text: 'plain body',
      html: '<p>html body</p>',
      messageId: '<TKT-1.5@sla-desk.local>',
      references: ['<TKT-1@sla-desk.local>'],
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input.Source).toBe('support@vendor.test');
    expect(input.Destinations).toEqual(['ops@acme.test', 'bob@vendor.test Bcc: evil@x.test']);
    expect(input.ConfigurationSetName).toBe('sla-desk-events');
    const raw = Buffer.from(input.RawMessage!.Data!).toString('utf8');
    const headers = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(headers).toContain('Message-ID: <TKT-1.5@sla-desk.local>');
    expect(headers).toContain('References: <TKT-1@sla-desk.local>');
    expect(headers).toContain('Auto-Submitted: auto-replied');
    expect(headers).toContain('Subject: [TKT-1] SLA breach Bcc: evil@x.test');
    expect(headers).not.toMatch(/^Bcc:/m);
    expect(raw).toContain('plain body');
    expect(raw).toContain('<p>html body</p>');
  });
});
