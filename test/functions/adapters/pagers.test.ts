// The paging adapters' exact requests: PagerDuty's Events API v2 (trigger, acknowledge, resolve
// by dedup_key), Opsgenie's Alert API (create, acknowledge, close by alias), End User
// Messaging's SendTextMessage (asserted with aws-sdk-client-mock), a Slack direct message and a
// mail; and the EventBridge schedule of an escalation step.
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { stepScheduleName } from '../../../domain/escalation-policy';
import { EventBridgeScheduler } from '../../../functions/adapters/aws/scheduler';
import { endUserMessaging } from '../../../functions/adapters/aws/sms';
import {
  OpsgenieAlerts,
  PAGERDUTY_EVENTS_URL,
  PagerDutyEvents,
  RoutingPager,
  slackDirect,
} from '../../../functions/adapters/pagers';
import type { OutgoingMail, PageRequest, WebClient } from '../../../functions/ports';

const sms = mockClient(PinpointSMSVoiceV2Client);
const scheduler = mockClient(SchedulerClient);
beforeEach(() => {
  sms.reset();
  scheduler.reset();
});

class RecordingWeb implements WebClient {
  posts: { url: string; body: unknown; headers: Record<string, string> }[] = [];
  constructor(private readonly status = 202) {}
  async get(): Promise<string> {
    throw new Error('not used');
  }
  async post(url: string, body: string, headers: Record<string, string>) {
    this.posts.push({ url, body: JSON.parse(body), headers });
    return { status: this.status };
  }
  async refused() {
    return null;
  }
}

const routingKey = 'R0123456789abcdef0123456789ABCDE';
const request = (over: Partial<PageRequest> = {}): PageRequest => ({
  pageId: 'PG-7K3QF9M2XA',
  ticketId: 'TKT-7K3QF9M2XA',
  dedupKey: 'TKT-7K3QF9M2XA/response#1#breach',
  service: 'pagerduty',
  via: { kind: 'pagerduty', routingKey },
  to: {
    staffId: 'STF-1',
    name: 'Ann Lee',
    email: 'ann@desk.test',
    phone: '+46701234567',
    slackUserId: 'U024BE7LH',
  },
  summary: 'P1 TKT-7K3QF9M2XA: response deadline breached: Search is down',
  severity: 'critical',
  ackUrl: 'https://desk.test/#/ack/TKT-7K3QF9M2XA.PG-7K3QF9M2XA.token',
  ticketUrl: 'https://desk.test/#/tickets/TKT-7K3QF9M2XA',
  ...over,
});

function pager(web: WebClient, sent: { dm: unknown[]; mail: OutgoingMail[] } = { dm: [], mail: [] }) {
  return new RoutingPager({
    pagerDuty: new PagerDutyEvents(web),
    opsgenie: new OpsgenieAlerts(web, async () => 'og-key-1', 'https://api.eu.opsgenie.com'),
    sendText: endUserMessaging(new PinpointSMSVoiceV2Client({}), () => ({
      originationIdentity: '+46790000000',
      configurationSet: 'pages',
    })),
    direct: async (userId: string, text: string) => {
      sent.dm.push({ userId, text });
    },
    mailer: { send: async (m) => void sent.mail.push(m) },
  });
}

describe('PagerDuty Events API v2', () => {
  it('triggers with the routing key, the dedup key and a payload of its schema', async () => {
    const web = new RecordingWeb();
    await pager(web).page(request());
    expect(web.posts).toEqual([
      {
        url: PAGERDUTY_EVENTS_URL,
        headers: { 'content-type': 'application/json' },
        body: {
          routing_key: routingKey,
          event_action: 'trigger',
          dedup_key: 'TKT-7K3QF9M2XA/response#1#breach',
          payload: {
            summary: 'P1 TKT-7K3QF9M2XA: response deadline breached: Search is down',
            source: 'sla-desk',
            severity: 'critical',
            component: 'TKT-7K3QF9M2XA',
            class: 'sla-escalation',
            custom_details: {
              ticket: 'TKT-7K3QF9M2XA',
              'on call in sla-desk': 'Ann Lee',
              acknowledge: 'https://desk.test/#/ack/TKT-7K3QF9M2XA.PG-7K3QF9M2XA.token',
            },
          },
          client: 'sla-desk',
          client_url: 'https://desk.test/#/tickets/TKT-7K3QF9M2XA',
          links: [{ href: 'https://desk.test/#/tickets/TKT-7K3QF9M2XA', text: 'Ticket TKT-7K3QF9M2XA' }],
        },
      },
    ]);
  });

  it('acknowledges and resolves by the same dedup key', async () => {
    const web = new RecordingWeb();
    await pager(web).close('TKT-1/response#1#breach', { kind: 'pagerduty', routingKey }, 'acknowledge');
    await pager(web).close('TKT-1/response#1#breach', { kind: 'pagerduty', routingKey }, 'resolve');
    expect(web.posts.map((p) => p.body)).toEqual([
      { routing_key: routingKey, event_action: 'acknowledge', dedup_key: 'TKT-1/response#1#breach' },
      { routing_key: routingKey, event_action: 'resolve', dedup_key: 'TKT-1/response#1#breach' },
    ]);
  });

  it('throws on a refusal, so the chain records the failure', async () => {
    await expect(pager(new RecordingWeb(400)).page(request())).rejects.toThrow(
      'PagerDuty Events API answered 400',
    );
  });

  it('keeps a summary at its 1024-character limit with the worst characters', async () => {
    const web = new RecordingWeb();
    await pager(web).page(request({ summary: '💥"<\u0000'.repeat(600) }));
    const body = web.posts[0]!.body as { payload: { summary: string } };
    expect(body.payload.summary.length).toBeLessThanOrEqual(1024);
  });
});

describe('Opsgenie Alert API', () => {
  it('creates an alert for the team by alias, with its key, and acknowledges and closes it by alias', async () => {
    const web = new RecordingWeb();
    const p = pager(web);
    await p.page(
      request({ service: 'opsgenie', via: { kind: 'opsgenie', team: 'Platform' }, summary: 'x'.repeat(200) }),
    );
    await p.close('TKT-7K3QF9M2XA/response#1#breach', { kind: 'opsgenie', team: 'Platform' }, 'acknowledge');
    await p.close('TKT-7K3QF9M2XA/response#1#breach', { kind: 'opsgenie', team: 'Platform' }, 'resolve');
    expect(web.posts.map((x) => x.url)).toEqual([
      'https://api.eu.opsgenie.com/v2/alerts',
      'https://api.eu.opsgenie.com/v2/alerts/TKT-7K3QF9M2XA%2Fresponse%231%23breach/acknowledge?identifierType=alias',
      'https://api.eu.opsgenie.com/v2/alerts/TKT-7K3QF9M2XA%2Fresponse%231%23breach/close?identifierType=alias',
    ]);
    expect(web.posts[0]!.headers.authorization).toBe('GenieKey og-key-1');
    expect(web.posts[0]!.body).toMatchObject({
      message: 'x'.repeat(130),
      alias: 'TKT-7K3QF9M2XA/response#1#breach',
      responders: [{ name: 'Platform', type: 'team' }],
      priority: 'P1',
      source: 'sla-desk',
      entity: 'TKT-7K3QF9M2XA',
    });
  });

  it('refuses to page without an API key', async () => {
    const alerts = new OpsgenieAlerts(new RecordingWeb(), async () => null);
    await expect(alerts.create(request(), 'Platform')).rejects.toThrow('no Opsgenie API key');
  });
});

describe('the desk’s own pages', () => {
  it('texts through End User Messaging: transactional, from the registered identity, with the link', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'm-1' });
    await pager(new RecordingWeb()).page(request({ service: 'sms', via: { kind: 'desk' } }));
    expect(sms.commandCalls(SendTextMessageCommand).map((c) => c.args[0].input)).toEqual([
      {
        DestinationPhoneNumber: '+46701234567',
        MessageBody:
          'P1 TKT-7K3QF9M2XA: response deadline breached: Search is down\nAck: https://desk.test/#/ack/TKT-7K3QF9M2XA.PG-7K3QF9M2XA.token',
        MessageType: 'TRANSACTIONAL',
        OriginationIdentity: '+46790000000',
        ConfigurationSetName: 'pages',
      },
    ]);
  });

  it('messages the person in Slack, and mails with both links escaped', async () => {
    const sent = { dm: [] as unknown[], mail: [] as OutgoingMail[] };
    const p = pager(new RecordingWeb(), sent);
    await p.page(request({ service: 'slack', via: { kind: 'desk' } }));
    await p.page(request({ service: 'mail', via: { kind: 'desk' }, summary: 'P1 <b>"x"</b> & y' }));
    expect(sent.dm).toEqual([
      { userId: 'U024BE7LH', text: expect.stringContaining('Acknowledge: https://desk.test/#/ack/') },
    ]);
    expect(sent.mail[0]).toMatchObject({ to: ['ann@desk.test'], subject: 'P1 <b>"x"</b> & y' });
    expect(sent.mail[0]!.html).toContain('P1 &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; y');
    expect(sent.mail[0]!.html).not.toContain('<b>');
  });

  it('refuses a text without a number, a Slack page without a member', async () => {
    const p = pager(new RecordingWeb());
    const nobody = { staffId: 'STF-1', name: 'Ann', email: 'a@x.test', phone: null, slackUserId: null };
    await expect(p.page(request({ service: 'sms', to: nobody }))).rejects.toThrow('no mobile number');
    await expect(p.page(request({ service: 'slack', to: nobody }))).rejects.toThrow('no Slack member');
  });
});

describe('an escalation step on EventBridge Scheduler', () => {
  it('is a one-shot schedule of its own, named by the step, with the step as input', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const settings = { group: 'g', targetArn: 'arn:fn', roleArn: 'arn:role', deadLetterArn: 'arn:dlq' };
    await new EventBridgeScheduler(new SchedulerClient({}), settings).scheduleSteps([
      {
        ticketId: 'TKT-7K3QF9M2XA',
        chain: 'response#1#breach',
        chainSeq: 9,
        step: 2,
        at: Date.parse('2026-12-07T03:15:00Z'),
      },
    ]);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input)).toMatchObject([
      {
        Name: 'TKT-7K3QF9M2XA.response.1.breach.s2',
        ScheduleExpression: 'at(2026-12-07T03:15:00)',
        ActionAfterCompletion: 'DELETE',
        Target: {
          Input: JSON.stringify({
            ticketId: 'TKT-7K3QF9M2XA',
            chain: 'response#1#breach',
            chainSeq: 9,
            step: 2,
          }),
        },
      },
    ]);
    expect(stepScheduleName('TKT-7K3QF9M2XA', 'resolution#99999#warning', 10)).toMatch(
      /^[0-9A-Za-z._-]{1,64}$/,
    );
  });
});

describe('a Slack direct message', () => {
  it('posts chat.postMessage to the member with the bot token, and throws on Slack’s ok: false', async () => {
    const { createServer } = await import('node:http');
    const seen: { auth: string | undefined; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = JSON.parse(raw) as { channel: string };
        seen.push({ auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify(
            body.channel === 'U024BE7LH' ? { ok: true } : { ok: false, error: 'channel_not_found' },
          ),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const direct = slackDirect(async () => 'xoxb-test', api);
      await direct('U024BE7LH', 'Paged');
      await expect(direct('UNOBODY1', 'Paged')).rejects.toThrow('channel_not_found');
      expect(seen[0]).toEqual({ auth: 'Bearer xoxb-test', body: { channel: 'U024BE7LH', text: 'Paged' } });
      await expect(slackDirect(async () => null, api)('U024BE7LH', 'x')).rejects.toThrow(
        'no Slack bot token',
      );
    } finally {
      server.close();
    }
  });
});
