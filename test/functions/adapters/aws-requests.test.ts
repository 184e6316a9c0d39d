// The exact requests the AWS adapters send, asserted with aws-sdk-client-mock.

import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../functions/adapters/aws/s3-blobs';
import { atExpression, EventBridgeScheduler } from '../../../functions/adapters/aws/scheduler';
import { SesMailer } from '../../../functions/adapters/aws/ses-mailer';
import { clientIp, forgetEdgeSecret } from '../../../functions/app/edge';
import { resetConfig } from '../../../functions/config';

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

  it('sends as a sender with a display name: from the environment, through the wiring, to SES’s From', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
    const mail = { to: ['ops@acme.test'], subject: 's', text: 't', html: '<p>t</p>', messageId: '<m@x>' };
    for (const [sender, from] of [
      ['Support Desk <support@vendor.test>', 'Support Desk <support@vendor.test>'],
      ['"Vendor, Support" <support@vendor.test>', '"Vendor, Support" <support@vendor.test>'],
      [
        'Åsa på Supporten <support@vendor.test>',
        '=?UTF-8?B?w4VzYSBww6UgU3VwcG9ydGVu?= <support@vendor.test>',
      ],
      ['support@vendor.test', 'support@vendor.test'],
    ]) {
      process.env.SENDER_EMAIL = sender;
      resetConfig();
      const { buildAwsDeps } = await import('../../../functions/wiring');
      await buildAwsDeps().mailer.send(mail);
      expect(ses.commandCalls(SendEmailCommand).at(-1)!.args[0].input.FromEmailAddress, sender).toBe(from);
    }
    delete process.env.SENDER_EMAIL;
    resetConfig();
  });

  it('refuses at start a sender the From header could not carry, naming the variable', async () => {
    const { config } = await import('../../../functions/config');
    process.env.SENDER_EMAIL = 'Support\r\nBcc: victim@x.test <support@vendor.test>';
    resetConfig();
    expect(() => config()).toThrow(/SENDER_EMAIL: the display name has a control character/);
    delete process.env.SENDER_EMAIL;
    resetConfig();
  });
});

describe('S3 blob store: attachments', () => {
  const s3 = mockClient(S3Client);
  const client = () =>
    new S3Client({
      region: 'eu-north-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
  const store = () => new S3BlobStore(client(), () => 'sla-desk-mail');
  beforeEach(() => s3.reset());

  it('signs a POST policy that pins the key, the type and 1..maxBytes, for 15 minutes', async () => {
    const form = await store().uploadForm('uploads/CUS-1/UPL-0123456789', {
      contentType: 'image/png',
      maxBytes: 10 * 1024 * 1024,
      expiresInSeconds: 900,
    });
    expect(form.url).toBe('https://sla-desk-mail.s3.eu-north-1.amazonaws.com/');
    expect(form.fields).toMatchObject({ key: 'uploads/CUS-1/UPL-0123456789', 'Content-Type': 'image/png' });
    const policy = JSON.parse(Buffer.from(form.fields.Policy!, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 10 * 1024 * 1024],
        ['eq', '$Content-Type', 'image/png'],
        { bucket: 'sla-desk-mail' },
        { key: 'uploads/CUS-1/UPL-0123456789' },
      ]),
    );
    const minutes = (Date.parse(policy.expiration) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
  });

  it('heads an upload (a missing one is null) and links a download that never renders', async () => {
    s3.on(HeadObjectCommand, { Key: 'uploads/CUS-1/UPL-A' })
      .resolves({ ContentLength: 1234, ContentType: 'text/html' })
      .on(HeadObjectCommand, { Key: 'uploads/CUS-1/UPL-B' })
      .rejects(Object.assign(new Error('NotFound'), { name: 'NotFound' }));
    expect(await store().head('uploads/CUS-1/UPL-A')).toEqual({ size: 1234, contentType: 'text/html' });
    expect(await store().head('uploads/CUS-1/UPL-B')).toBeNull();
    const url = new URL(
      await store().downloadUrl('uploads/CUS-1/UPL-A', {
        filename: 'Straße "final"; x.html',
        contentType: 'text/html',
        expiresInSeconds: 300,
      }),
    );
    expect(url.pathname).toBe('/uploads/CUS-1/UPL-A');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="Stra_e _final__ x.html"; filename*=UTF-8''Stra%C3%9Fe%20%22final%22%3B%20x.html`,
    );
  });
});

describe('the caller’s address behind CloudFront', () => {
  const secrets = mockClient(SecretsManagerClient);
  const viewer = { 'cloudfront-viewer-address': '2001:db8::7:46532' };
  beforeEach(() => {
    secrets.reset();
    forgetEdgeSecret();
    process.env.EDGE_SECRET_ARN = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:edge';
    resetConfig();
  });
  afterEach(() => {
    delete process.env.EDGE_SECRET_ARN;
    resetConfig();
  });

  it('takes CloudFront-Viewer-Address only with the edge secret, read once', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'edge-secret-value' });
    expect(await clientIp({ ...viewer, 'x-sla-desk-edge': 'edge-secret-value' }, '130.176.0.1')).toBe(
      '2001:db8::7',
    );
    expect(
      await clientIp(
        { 'cloudfront-viewer-address': '198.51.100.7:443', 'x-sla-desk-edge': 'edge-secret-value' },
        '130.176.0.1',
      ),
    ).toBe('198.51.100.7');
    // Forged: a client calling API Gateway directly with its own header counts as itself.
    expect(await clientIp({ ...viewer, 'x-sla-desk-edge': 'guess' }, '203.0.113.9')).toBe('203.0.113.9');
    expect(await clientIp(viewer, '203.0.113.9')).toBe('203.0.113.9');
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:edge' },
    ]);
  });

  it('reads the secret again after a failed read, and never trusts the header without one', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 's3cr3t' });
    await expect(clientIp({ ...viewer, 'x-sla-desk-edge': 's3cr3t' }, '130.176.0.1')).rejects.toThrow(
      'throttled',
    );
    expect(await clientIp({ ...viewer, 'x-sla-desk-edge': 's3cr3t' }, '130.176.0.1')).toBe('2001:db8::7');
    delete process.env.EDGE_SECRET_ARN;
    resetConfig();
    forgetEdgeSecret();
    expect(await clientIp({ ...viewer, 'x-sla-desk-edge': 's3cr3t' }, '130.176.0.1')).toBe('130.176.0.1');
  });
});
