// The AWS side of integrations, by the exact requests it makes: jobs sent to SQS, a failed job
// hidden for its back-off (ChangeMessageVisibility) and reported item by item, malformed jobs
// dropped; Slack's secrets read once from Secrets Manager; new timeline entries from the
// tickets stream published once per ticket; and Slack's Web API called as Slack's own client calls it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerSecrets } from '../../../functions/adapters/aws/secrets';
import { SqsJobQueue } from '../../../functions/adapters/aws/sqs-jobs';
import { SqsReportQueue } from '../../../functions/adapters/aws/sqs-reports';
import { SlackChat } from '../../../functions/adapters/slack-chat';
import { resetConfig } from '../../../functions/config';
import { publishStream as streamHandler } from '../../../functions/integrations/stream';
import { runJobs as workerHandler } from '../../../functions/integrations/worker';
import type { DeliveryRecord, Deps, Job, TicketRecord } from '../../../functions/ports';

const QUEUE = 'https://sqs.eu-north-1.amazonaws.com/123456789012/sla-desk-jobs';
const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => {
  sqs.reset();
  secretsManager.reset();
  process.env.JOBS_QUEUE_URL = QUEUE;
  resetConfig();
});

describe('SQS job queue', () => {
  it('sends one message per job, its body the job as JSON', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const job: Job = { kind: 'deliver', customerId: 'CUS-1', deliveryId: 'evt_TKT-1_1.WHK-1' };
    await new SqsJobQueue(new SQSClient({}), () => QUEUE).send(job);
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      MessageBody: JSON.stringify(job),
    });
  });
});

describe('SQS report queue', () => {
  it('sends a run’s units ten to a batch, each its own message, and fails loudly on a unit not queued', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const units = Array.from({ length: 23 }, (_, i) => ({
      customerId: `CUS-${i}`,
      month: '2026-11',
      resend: false,
    }));
    const queue = new SqsReportQueue(new SQSClient({}), () => QUEUE);
    await queue.send(units);
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[2]).toEqual({
      QueueUrl: QUEUE,
      Entries: units.slice(20).map((u, i) => ({ Id: String(i), MessageBody: JSON.stringify(u) })),
    });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });
    await expect(queue.send(units.slice(0, 1))).rejects.toThrow(
      '1 report unit(s) not queued: InternalError try again',
    );
  });
});

describe('Secrets Manager secrets', () => {
  it('reads each secret once, none without an ARN, again after a failed read', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: ' 8f742231b10e8888abcd99yyyzzz85a5\n' });
    const arn = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:slack-signing-AbCdEf';
    const secrets = new SecretsManagerSecrets(new SecretsManagerClient({}), { 'slack-signing-secret': arn });
    expect(await secrets.get('slack-bot-token')).toBeNull();
    await expect(secrets.get('slack-signing-secret')).rejects.toThrow('throttled');
    expect(await secrets.get('slack-signing-secret')).toBe('8f742231b10e8888abcd99yyyzzz85a5');
    expect(await secrets.get('slack-signing-secret')).toBe('8f742231b10e8888abcd99yyyzzz85a5');
    const calls = secretsManager.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input).toEqual({ SecretId: arn });
  });
});

function sqsRecord(body: string, receiveCount: number, id = 'msg-1'): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1795420800000',
      SenderId: 'AROA',
      ApproximateFirstReceiveTimestamp: '1795420800000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-north-1:123456789012:sla-desk-jobs',
    awsRegion: 'eu-north-1',
  };
}

/** A delivery to a webhook that answers `status`, in a store of one. */
function deliveryDeps(status: number, now: number) {
  let stored: DeliveryRecord = {
    id: 'evt_TKT-1_1.WHK-1',
    customerId: 'CUS-1',
    ticketId: 'TKT-1',
    target: { type: 'webhook', webhookId: 'WHK-1', url: 'https://desk.acme.test/hook' },
    eventId: 'evt_TKT-1_1',
    eventType: 'ticket.created',
    payload: '{"id":"evt_TKT-1_1"}',
    createdAt: new Date(now).toISOString(),
    status: 'pending',
    attempts: 0,
    firstAttemptAt: null,
    lastAttemptAt: null,
    lastError: null,
    version: 1,
  };
  const deps = {
    clock: { now: () => now },
    web: { post: async () => ({ status }) },
    integrations: {
      getDelivery: async () => stored,
      updateDelivery: async (d: DeliveryRecord) => {
        stored = d;
      },
      listWebhooks: async () => [
        {
          id: 'WHK-1',
          customerId: 'CUS-1',
          url: 'https://desk.acme.test/hook',
          events: ['ticket.created'],
          secret: 'whsec_x',
          createdAt: '',
        },
      ],
    },
  } as unknown as Deps;
  return { deps, stored: () => stored };
}

describe('integrations worker (SQS)', () => {
  const now = 1795420800000;
  const job = JSON.stringify({ kind: 'deliver', customerId: 'CUS-1', deliveryId: 'evt_TKT-1_1.WHK-1' });

  it('hides a failed job for its back-off and reports it failed; a delivered one is done', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const down = deliveryDeps(503, now);
    const sqsClient = new SQSClient({});
    const result = await workerHandler({ Records: [sqsRecord(job, 1)] }, { deps: down.deps, sqs: sqsClient });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      ReceiptHandle: 'handle-msg-1',
      VisibilityTimeout: 30,
    });
    expect(down.stored()).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    const up = deliveryDeps(200, now);
    expect(await workerHandler({ Records: [sqsRecord(job, 1)] }, { deps: up.deps, sqs: sqsClient })).toEqual({
      batchItemFailures: [],
    });
    expect(up.stored()).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
  });

  it('stops after a day: the delivery is listed as failed and the message is done with', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const late = deliveryDeps(500, now);
    const stored = late.stored();
    Object.assign(stored, { attempts: 15, firstAttemptAt: new Date(now - 23.5 * 3600_000).toISOString() });
    const result = await workerHandler(
      { Records: [sqsRecord(job, 16)] },
      { deps: late.deps, sqs: new SQSClient({}) },
    );
    expect(result.batchItemFailures).toEqual([]); // done with: listed as failed
    expect(late.stored()).toMatchObject({ status: 'failed', attempts: 16 });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(0);
  });

  it('drops malformed jobs instead of retrying them', async () => {
    const { deps } = deliveryDeps(200, now);
    const records = [sqsRecord('not json', 1, 'a'), sqsRecord('{"kind":"explode"}', 1, 'b')];
    expect(await workerHandler({ Records: records }, { deps, sqs: new SQSClient({}) })).toEqual({
      batchItemFailures: [],
    });
  });
});

describe('tickets stream publisher', () => {
  const ticket = {
    id: 'TKT-1',
    customerId: 'CUS-1',
    subject: 'Kiosk frozen',
    description: 'Store 3',
    assignee: null,
    deadlines: [],
    nextBreachAt: null,
    breached: false,
    chat: null,
  } as unknown as TicketRecord;
  let sequence = 100;
  const insert = (seq: number, entry: Record<string, unknown>, ticketId = 'TKT-1') => ({
    eventName: 'INSERT' as const,
    dynamodb: {
      SequenceNumber: `${++sequence}`,
      NewImage: marshall({
        pk: `TICKET#${ticketId}`,
        sk: `T#${String(seq).padStart(7, '0')}`,
        seq,
        ...entry,
      }),
    },
  });

  it('publishes each ticket’s inserted entries once, in order, as stored now, and retries from a failed ticket', async () => {
    const delivered: string[] = [];
    const told: string[] = [];
    const mailed: string[] = [];
    const created = { type: 'created', at: '2026-11-23T08:00:00.000Z', priority: 'P2', channel: 'api' };
    const message = {
      type: 'message',
      at: '2026-11-23T08:01:00.000Z',
      author: 'agent',
      internal: false,
      body: 'x',
    };
    const mail = {
      type: 'mail',
      at: '2026-11-23T08:00:00.000Z',
      purpose: 'acknowledgement',
      to: ['ops@acme.test'],
      subject: 'We received your request',
      paragraphs: ['Hello'],
      messageId: '<TKT-1.3@desk.test>',
    };
    // A retried batch: the acknowledgement went out and was marked sent on its entry since.
    const stored = [created, message, { ...mail, sentAt: '2026-11-23T08:00:01.000Z' }].map((e, i) => ({
      ...e,
      seq: i + 1,
      actor: null,
    }));
    const deps = {
      clock: { now: () => Date.parse('2026-11-23T08:05:00Z') },
      jobs: { send: async () => {} },
      mailer: { send: async (m: { subject: string }) => void mailed.push(m.subject) },
      // Open consoles hear of each ticket's write.
      live: {
        publish: async (events: { ticketId: string }[]) => void told.push(...events.map((e) => e.ticketId)),
      },
      tickets: {
        get: async (id: string) => {
          if (id === 'TKT-2') throw new Error('throttled');
          return { ticket: { ...ticket, id }, timeline: stored };
        },
      },
      integrations: {
        listWebhooks: async () => [
          { id: 'WHK-1', url: 'https://desk.acme.test/hook', events: ['ticket.created', 'message.created'] },
        ],
        addDelivery: async (d: DeliveryRecord) => {
          delivered.push(d.id);
          return true;
        },
      },
    } as unknown as Deps;
    const event = {
      Records: [
        insert(1, created),
        insert(2, message),
        insert(3, { ...mail, outboxShard: 'OUTBOX#3', outboxKey: `${mail.at}#TKT-1#3` }),
        insert(1, { ...created, at: '2026-11-23T08:02:00.000Z', priority: 'P3' }, 'TKT-2'),
        {
          eventName: 'MODIFY' as const,
          dynamodb: { SequenceNumber: '200', NewImage: marshall({ pk: 'TICKET#TKT-1', sk: 'TICKET' }) },
        },
      ],
    } as unknown as DynamoDBStreamEvent;
    const result = await streamHandler(event, deps);
    expect(delivered).toEqual(['evt_TKT-1_1.WHK-1', 'evt_TKT-1_2.WHK-1']); // the MODIFY is no entry
    expect(mailed).toEqual([]); // marked sent: not sent again
    expect(told).toEqual(['TKT-1']);
    // TKT-2 failed: the batch is retried from its first record (publishing again is harmless).
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '104' }] });
  });
});

describe('Slack Web API client', () => {
  let server: Server;
  let api: string;
  const calls: { path: string; auth: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        calls.push({
          path: req.url ?? '',
          auth: req.headers.authorization,
          body: Buffer.concat(chunks).toString(),
        });
        const channel = new URLSearchParams(Buffer.concat(chunks).toString()).get('channel');
        if (channel === 'C-busy') {
          res.writeHead(429, { 'retry-after': '30' });
          return res.end();
        }
        if (channel === 'C-broken') {
          res.writeHead(502, { 'content-type': 'text/html' });
          return res.end('<html>Bad gateway</html>');
        }
        res.setHeader('content-type', 'application/json');
        if (channel === 'C-gone') res.end(JSON.stringify({ ok: false, error: 'channel_not_found' }));
        else if (req.url === '/api/chat.postMessage')
          res.end(JSON.stringify({ ok: true, ts: '1795421300.000600' }));
        else if (req.url === '/api/users.info')
          res.end(JSON.stringify({ ok: true, user: { id: 'U1', profile: { email: 'ana@acme.test' } } }));
        else res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => server.close());

  it('posts into the thread and reads a member’s address, as the bot', async () => {
    const chat = new SlackChat(async () => 'xoxb-test-token', api);
    await chat.post({ teamId: 'T1', channelId: 'C1', threadTs: '1795420800.000100' }, 'Opened ticket TKT-1');
    expect(await chat.userEmail('T1', 'U1')).toBe('ana@acme.test');
    expect(calls[0]!.path).toBe('/api/chat.postMessage');
    expect(calls[0]!.auth).toBe('Bearer xoxb-test-token');
    expect(Object.fromEntries(new URLSearchParams(calls[0]!.body))).toMatchObject({
      channel: 'C1',
      thread_ts: '1795420800.000100',
      text: 'Opened ticket TKT-1',
    });
    expect(calls[1]!.path).toBe('/api/users.info');
    expect(new URLSearchParams(calls[1]!.body).get('user')).toBe('U1');
  });

  it('fails with Slack’s own error code, its wait when rate-limited, and the status of a broken answer', async () => {
    const chat = new SlackChat(async () => 'xoxb-test-token', api);
    const thread = (channelId: string) => ({ teamId: 'T1', channelId, threadTs: '1795420800.000100' });
    await expect(chat.post(thread('C-gone'), 'x')).rejects.toThrow(
      'Slack chat.postMessage failed: channel_not_found',
    );
    await expect(chat.direct('C-busy', 'x')).rejects.toThrow('rate_limited (retry after 30 s)');
    await expect(chat.post(thread('C-broken'), 'x')).rejects.toThrow(
      'Slack chat.postMessage failed: HTTP 502',
    );
  });

  it('fails without a token', async () => {
    await expect(
      new SlackChat(async () => null, api).post({ teamId: 'T', channelId: 'C', threadTs: '1' }, 'x'),
    ).rejects.toThrow(/no Slack bot token/);
  });
});
