// CloudWatch alarms through Amazon SNS: every message's signature is checked against SNS's
// own certificate before anything is believed; the subscription is confirmed; an ALARM opens
// a ticket and an incident, SNS's retries change nothing, OK resolves.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SnsMessage, stringToSign } from '../../functions/app/sns';
import { type Harness, harness } from './harness';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CERT_URL = `https://sns.eu-north-1.amazonaws.com/SimpleNotificationService-${Date.now()}.pem`;
const TOPIC = 'arn:aws:sns:eu-north-1:123456789012:acme-alarms';
const ALARM_ARN = 'arn:aws:cloudwatch:eu-north-1:123456789012:alarm:kiosk-api-5xx-critical';

let h: Harness;
let agent: string;
let acme: { id: string; key: string };
let alertKey: string;
const fetched: string[] = [];

function signed(
  fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>,
  version: '1' | '2' = '2',
) {
  const message = { ...fields, SignatureVersion: version, SigningCertURL: CERT_URL } as SnsMessage;
  const signer = createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  signer.update(stringToSign(message));
  return { ...message, Signature: signer.sign(privateKey, 'base64') };
}

let seq = 0;
const METRIC_TRIGGER = {
  MetricName: '5XXError',
  Namespace: 'AWS/ApiGateway',
  Dimensions: [{ name: 'ApiName', value: 'kiosk-api' }],
};
// A metric math alarm as CloudWatch describes it: no dimensions of its own, its metrics in Metrics.
const MATH_TRIGGER = {
  Period: 60,
  EvaluationPeriods: 1,
  ComparisonOperator: 'GreaterThanThreshold',
  Threshold: 5,
  TreatMissingData: 'missing',
  Metrics: [
    { Expression: 'm1/m2*100', Id: 'e1', Label: 'Error rate', ReturnData: true },
    {
      Id: 'm1',
      MetricStat: {
        Metric: {
          Dimensions: [{ value: 'checkout', name: 'ApiName' }],
          MetricName: '5XXError',
          Namespace: 'AWS/ApiGateway',
        },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: false,
    },
    {
      Id: 'm2',
      MetricStat: {
        Metric: {
          Dimensions: [{ value: 'checkout', name: 'ApiName' }],
          MetricName: 'Count',
          Namespace: 'AWS/ApiGateway',
        },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: false,
    },
  ],
};
const alarm = (
  state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA',
  at: string,
  version: '1' | '2' = '2',
  trigger: object = METRIC_TRIGGER,
  arn = ALARM_ARN,
) =>
  signed(
    {
      Type: 'Notification',
      MessageId: `msg-${++seq}`,
      TopicArn: TOPIC,
      Subject: `${state}: "kiosk-api-5xx-critical" in EU (Stockholm)`,
      Message: JSON.stringify({
        AlarmName: 'kiosk-api-5xx-critical',
        AlarmDescription: 'Kiosk API answers 5xx',
        AWSAccountId: '123456789012',
        NewStateValue: state,
        NewStateReason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
        StateChangeTime: at,
        Region: 'EU (Stockholm)',
        AlarmArn: arn,
        OldStateValue: state === 'ALARM' ? 'OK' : 'ALARM',
        Trigger: trigger,
      }),
      Timestamp: new Date(h.clock.now()).toISOString(),
    },
    version,
  );
const post = (body: unknown) =>
  h.call('POST', `/integrations/alerts?key=${alertKey}`, {
    key: null,
    body,
    headers: { 'content-type': 'text/plain' },
  });

beforeAll(async () => {
  h = await harness('2026-11-23T08:12:00Z');
  agent = await h.key('agent');
  acme = await h.customer('ombori-production');
  alertKey = (await h.call('POST', `/customers/${acme.id}/alert-keys`, { body: { name: 'CloudWatch' } })).body
    .key;
  h.deps.web = {
    async get(url: string) {
      fetched.push(url);
      if (url === CERT_URL) return publicKey.export({ type: 'spki', format: 'pem' }).toString();
      if (url.startsWith('https://sns.eu-north-1.amazonaws.com/?Action=ConfirmSubscription')) return '<ok/>';
      throw new Error(`unexpected GET ${url}`);
    },
    async post(url: string) {
      throw new Error(`unexpected POST ${url}`);
    },
    async refused() {
      return null;
    },
  };
});

const tickets = async () =>
  (await h.call('GET', `/tickets?customerId=${acme.id}&limit=100`, { key: agent })).body.items as {
    priority: string;
  }[];

describe('SNS', () => {
  it('confirms a signed subscription by visiting its SubscribeURL', async () => {
    const subscribe = `https://sns.eu-north-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=abc`;
    const res = await post(
      signed({
        Type: 'SubscriptionConfirmation',
        MessageId: 'sub-1',
        TopicArn: TOPIC,
        Token: 'abc',
        Message: 'You have chosen to subscribe to the topic',
        SubscribeURL: subscribe,
        Timestamp: new Date(h.clock.now()).toISOString(),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.subscription).toBe('confirmed');
    expect(fetched).toContain(subscribe);
  });

  it('refuses a bad signature, a foreign certificate or SubscribeURL, and a stale message', async () => {
    const good = alarm('ALARM', '2026-11-23T08:10:00.000+0000');
    const tampered = { ...good, Message: good.Message.replace('kiosk-api-5xx-critical', 'other') };
    const foreignCert = { ...good, SigningCertURL: 'https://sns.evil.example/cert.pem' };
    const httpCert = { ...good, SigningCertURL: CERT_URL.replace('https:', 'http:') };
    const refused = async (body: unknown, why: RegExp) => {
      const res = await post(body);
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'sns-refused', message: expect.stringMatching(why) });
    };
    const before = fetched.length;
    await refused(tampered, /signature/);
    await refused(foreignCert, /certificate/);
    await refused(httpCert, /certificate/);
    h.clock.set(h.clock.now() + 2 * 3_600_000);
    await refused(good, /over an hour old/); // signed two hours ago by now
    const foreignSubscribe = signed({
      Type: 'SubscriptionConfirmation',
      MessageId: 'sub-2',
      TopicArn: TOPIC,
      Token: 'abc',
      Message: 'x',
      SubscribeURL: 'https://attacker.example/confirm',
      Timestamp: new Date(h.clock.now()).toISOString(),
    });
    await refused(foreignSubscribe, /SubscribeURL/);
    expect(fetched.slice(before).every((u) => u === CERT_URL)).toBe(true);
    expect(await tickets()).toHaveLength(0);
  });

  it('opens on ALARM, ignores SNS’s retries and INSUFFICIENT_DATA, resolves on OK', async () => {
    h.clock.set(Date.parse('2026-11-23T10:30:00Z'));
    const fired = alarm('ALARM', '2026-11-23T10:25:00.000+0000');
    expect((await post(fired)).body).toMatchObject({ opened: 1 });
    expect((await post(fired)).body).toMatchObject({ opened: 0, unchanged: 1 }); // SNS retried
    expect((await post(alarm('INSUFFICIENT_DATA', '2026-11-23T10:27:00.000+0000'))).body).toEqual({
      opened: 0,
      updated: 0,
      resolved: 0,
      unchanged: 0,
    });
    const list = await tickets();
    expect(list).toHaveLength(1);
    expect(list[0]!.priority).toBe('P1'); // "critical" in the alarm's name
    expect((await post(alarm('OK', '2026-11-23T10:28:30.000+0000', '1'))).body).toMatchObject({
      resolved: 1,
    });
    const incidents = (await h.deps.incidents.touching('2026-11')).filter((i) =>
      i.customerIds?.includes(acme.id),
    );
    expect(incidents.map((i) => [i.component, i.startedAt, i.endedAt])).toEqual([
      ['ApiName kiosk-api', '2026-11-23T10:25:00.000Z', '2026-11-23T10:28:30.000Z'],
    ]);
  });

  it('names a metric math alarm’s component by its metrics’ dimension, and takes its OK before its ALARM', async () => {
    h.clock.set(Math.max(h.clock.now(), Date.parse('2026-11-23T10:50:00Z')));
    const arn = `${ALARM_ARN}-error-rate`;
    // SNS retried the ALARM: the OK came first.
    expect(
      (await post(alarm('OK', '2026-11-23T10:44:00.000+0000', '2', MATH_TRIGGER, arn))).body,
    ).toMatchObject({
      unchanged: 1,
    });
    expect(
      (await post(alarm('ALARM', '2026-11-23T10:41:00.000+0000', '2', MATH_TRIGGER, arn))).body,
    ).toMatchObject({
      opened: 1,
    });
    const incidents = (await h.deps.incidents.touching('2026-11')).filter(
      (i) => i.customerIds?.includes(acme.id) && i.component === 'ApiName checkout',
    );
    expect(incidents.map((i) => [i.startedAt, i.endedAt])).toEqual([
      ['2026-11-23T10:41:00.000Z', '2026-11-23T10:44:00.000Z'],
    ]);
  });

  it('says which field is wrong when the message is not a CloudWatch alarm', async () => {
    const other = signed({
      Type: 'Notification',
      MessageId: 'm-x',
      TopicArn: TOPIC,
      Message: 'hello',
      Timestamp: new Date(h.clock.now()).toISOString(),
    });
    const res = await post(other);
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe('Message');
  });
});

describe('CloudWatch’s own test data', () => {
  it('names a metric math alarm by its metric’s dimension (aws-lambda-go’s multiple-metrics payload)', async () => {
    const { fromCloudWatch } = await import('../../functions/http/routes/integrations');
    const message = readFileSync(
      join(import.meta.dirname, '..', 'fixtures', 'alerts', 'cloudwatch-alarm-multiple-metrics.json'),
      'utf8',
    );
    const [event] = fromCloudWatch(message);
    expect(event).toMatchObject({
      key: 'cw:arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE',
      status: 'firing',
      component: 'InstanceId TestInstance',
      startsAt: Date.parse('2015-06-03T17:43:27.123Z'),
    });
  });
});
