// The exact requests the AWS adapters send, asserted with aws-sdk-client-mock.
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { atExpression, EventBridgeScheduler } from '../../../functions/adapters/aws/scheduler';
import { SesMailer } from '../../../functions/adapters/aws/ses-mailer';

const scheduler = mockClient(SchedulerClient);
const ses = mockClient(SESv2Client);
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
  it('sends text, HTML, the threading headers and attachments, with the configuration set and no header injection', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
    await new SesMailer(new SESv2Client({}), 'support@vendor.test', 'sla-desk-events').send({
      to: ['ops@acme.test', 'bob@vendor.test\r\nBcc: evil@x.test'],
      subject: '[TKT-1] SLA breach\r\nBcc: evil@x.test',
      text: 'plain body',
      html: '<p>html body</p>',
      messageId: '<TKT-1.5@sla-desk.local>',
      references: ['<TKT-1@sla-desk.local>'],
      headers: { 'Auto-Submitted': 'auto-replied' },
      attachments: [{ filename: 'tickets-2026-11.csv', contentType: 'text/csv', content: 'id\r\nTKT-1\r\n' }],
    });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'support@vendor.test',
      Destination: { ToAddresses: ['ops@acme.test', 'bob@vendor.test Bcc: evil@x.test'] },
      Content: {
        Simple: {
          Subject: { Data: '[TKT-1] SLA breach Bcc: evil@x.test', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 'plain body', Charset: 'UTF-8' },
            Html: { Data: '<p>html body</p>', Charset: 'UTF-8' },
          },
          Headers: [
            { Name: 'References', Value: '<TKT-1@sla-desk.local>' },
            { Name: 'Auto-Submitted', Value: 'auto-replied' },
          ],
          Attachments: [
            {
              FileName: 'tickets-2026-11.csv',
              ContentType: 'text/csv',
              ContentDisposition: 'ATTACHMENT',
              RawContent: Buffer.from('id\r\nTKT-1\r\n'),
            },
          ],
        },
      },
      ConfigurationSetName: 'sla-desk-events',
    });
  });
});
