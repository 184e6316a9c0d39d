// Deadline events end to end on the virtual clock: the API writes, the local scheduler fires
// through the escalation handler at each event's own time, the sweeper catches what is lost.
import { describe, expect, it } from 'vitest';
import { SWEEP_LEASE_MS, sweep } from '../../functions/app/attend';
import { handleDeadlineEvent } from '../../functions/escalation/handler';
import type { Scheduler } from '../../functions/ports';
import { deadlineEvents, type Harness, harness } from './harness';

const Z = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

async function open(h: Harness, key: string, body: Record<string, unknown>) {
  const res = await h.call('POST', '/tickets', {
    key,
    body: { subject: 'Kiosk down', description: 'Store 12', channel: 'form', ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('Ombori Pilot P1: warning at 80 %, breach at the due time', () => {
  it('fires both in order at their own times, records the breach once and mails the right people', async () => {
    const h = await harness('2026-11-23T08:00:00Z'); // Mon 09:00 Stockholm
    const customer = await h.customer('ombori-pilot', [{ email: 'ann@acme.test', name: 'Ann <Ops>' }]);
    const ticket = await open(h, customer.key, { priority: 'P1', subject: 'Screens <b>black</b>' });
    expect(ticket.sla.responseDueAt).toBe('2026-11-23T12:00:00.000Z'); // 13:00 Stockholm

    // Deadline events (the breach's escalation steps fire too: test/functions/paging.test.ts).
    const fired = deadlineEvents(await h.advance(Z('2026-11-23T12:30:00Z')));
    expect(fired.map((f) => [f.kind, f.at, f.outcome])).toEqual([
      ['warning', '2026-11-23T11:12:00.000Z', 'handled'], // 4 h × 80 % = 3 h 12 min after 09:00
      ['breach', '2026-11-23T12:00:00.000Z', 'handled'],
    ]);
    const read = (await h.call('GET', `/tickets/${ticket.id}`)).body;
    expect(read.sla.breaches).toEqual([
      { clock: 'response', dueAt: '2026-11-23T12:00:00.000Z', breachedAt: '2026-11-23T12:00:00.000Z' },
    ]);
    expect(read.sla.escalationLevel).toBe(1);

    const mails = h.outbox.list();
    const warning = mails.find((m) => m.subject.includes('SLA warning'))!;
    expect(warning.to).toEqual(['support-team@sla-desk.local']); // no assignee yet
    expect(warning.sentAt).toBe('2026-11-23T11:12:00.000Z');
    const breach = mails.find((m) => m.subject.includes('SLA breach'))!;
    expect(breach.to).toEqual(['escalations@sla-desk.local']);
    expect(breach.subject).toMatch(
      new RegExp(
        `^\\[${ticket.id}\\] SLA breach: P1 response for Customer \\S+ was due Mon 23 Nov 2026 13:00 CET$`,
      ),
    );
    expect(breach.text).toContain('Priority: P1. Clock: response. Due: Mon 23 Nov 2026 13:00 CET.');
    expect(breach.html).toContain('Screens &lt;b&gt;black&lt;/b&gt;');
    expect(breach.html).not.toContain('<b>black</b>');

    const ack = mails.find((m) => m.subject.includes('We received'))!;
    expect(ack.to).toEqual(['ann@acme.test']);
    expect(ack.text).toContain('We will respond by Mon 23 Nov 2026 13:00 CET');
    expect(mails.filter((m) => m.subject.includes('Major incident'))).toHaveLength(1); // P1: every contact hears

    expect(await h.advance(Z('2026-11-24T12:00:00Z'))).toEqual([]); // nothing left to fire
  });
});

describe('Platform.sh Standard P1 answered in time', () => {
  it('fires nothing once the response is given, and leaves no schedule behind', async () => {
    const h = await harness('2026-11-23T09:00:00Z'); // Mon 10:00 Paris
    const agent = await h.key('agent');
    const customer = await h.customer('platformsh-standard');
    const ticket = await open(h, customer.key, { priority: 'P1', channel: 'email' });
    await h.advance(Z('2026-11-23T10:00:00Z'));
    await h.call('POST', `/tickets/${ticket.id}/messages`, { key: agent, body: { body: 'Looking now' } });
    expect(await h.advance(Z('2026-11-24T18:00:00Z'))).toEqual([]);
    expect(await h.scheduler.due(Z('2030-01-01T00:00:00Z'))).toEqual([]);
    expect((await h.call('GET', `/tickets/${ticket.id}`)).body.sla.breaches).toEqual([]);
  });

  it('escalates at once when the customer uses the plan’s key-word', async () => {
    const h = await harness('2026-11-23T09:00:00Z');
    const customer = await h.customer('platformsh-standard');
    const ticket = await open(h, customer.key, { priority: 'P2', channel: 'email' });
    const res = await h.call('POST', `/tickets/${ticket.id}/messages`, {
      key: customer.key,
      body: { body: 'Checkout is down. #ESCALATE' },
    });
    expect(res.body.sla.escalationLevel).toBe(1);
    const mail = h.outbox.list().find((m) => m.subject.includes('Escalated by'))!;
    expect(mail.to).toEqual(['escalations@sla-desk.local']);
    expect(mail.text).toContain('> Checkout is down. #ESCALATE');
  });
});

describe('Cloudomation Premium: pending-customer pauses the clocks', () => {
  it('moves the breach by the paused business time and fires it then', async () => {
    const h = await harness('2026-11-23T08:00:00Z'); // Mon 09:00 Vienna, office 09-17
    const agent = await h.key('agent');
    const customer = await h.customer('cloudomation-premium');
    const ticket = await open(h, customer.key, { priority: 'P1', channel: 'email' });
    await h.advance(Z('2026-11-23T08:30:00Z'));
    await h.call('POST', `/tickets/${ticket.id}/messages`, { key: agent, body: { body: 'Which version?' } });
    const paused = await h.call('POST', `/tickets/${ticket.id}/status`, {
      key: agent,
      body: { status: 'pending-customer' },
    });
    expect(paused.body.sla).toMatchObject({ paused: true, resolutionDueAt: null });
    // Resolution (2 business days = 16 h) would have been due Tue 17:00; paused for a day, nothing fires.
    expect(await h.advance(Z('2026-11-25T08:00:00Z'))).toEqual([]);
    const resumed = await h.call('POST', `/tickets/${ticket.id}/messages`, {
      key: customer.key,
      body: { body: '3.2.1' },
    });
    // 30 min used; 15 h 30 min left from Wed 09:00: 8 h Wed, 7 h 30 min Thu → Thu 16:30 Vienna
    expect(resumed.body.sla).toMatchObject({ paused: false, resolutionDueAt: '2026-11-26T15:30:00.000Z' });
    const fired = deadlineEvents(await h.advance(Z('2026-11-27T08:00:00Z')));
    expect(fired.map((f) => [f.clock, f.kind, f.at])).toEqual([
      ['resolution', 'warning', '2026-11-26T12:18:00.000Z'], // 80 % of 16 h = 12 h 48 min
      ['resolution', 'breach', '2026-11-26T15:30:00.000Z'],
    ]);
  });
});

describe('Sourcegraph 24x7: a priority change reschedules', () => {
  it('replaces the P3 events with P1 ones under a new generation; the old ones are gone', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const agent = await h.key('agent');
    const customer = await h.customer('sourcegraph-premium-24x7');
    const ticket = await open(h, customer.key, { priority: 'P3', channel: 'chat' });
    expect((await h.scheduler.due(Z('2030-01-01T00:00:00Z'))).map((s) => s.name)).toEqual([
      `${ticket.id}.response.warning.g1`,
      `${ticket.id}.response.breach.g1`,
    ]);
    await h.advance(Z('2026-11-23T08:30:00Z'));
    const raised = await h.call('PATCH', `/tickets/${ticket.id}`, { key: agent, body: { priority: 'P1' } });
    expect(raised.body.sla.responseDueAt).toBe('2026-11-23T09:00:00.000Z');
    expect((await h.scheduler.due(Z('2030-01-01T00:00:00Z'))).map((s) => s.name)).toEqual([
      `${ticket.id}.response.warning.g2`,
      `${ticket.id}.response.breach.g2`,
    ]);
    const fired = deadlineEvents(await h.advance(Z('2026-11-23T10:00:00Z')));
    expect(fired.map((f) => [f.kind, f.generation, f.at])).toEqual([
      ['warning', 2, '2026-11-23T08:48:00.000Z'],
      ['breach', 2, '2026-11-23T09:00:00.000Z'],
    ]);
  });

  it('breaches at once when the raised priority’s deadline has already passed', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const agent = await h.key('agent');
    const customer = await h.customer('sourcegraph-premium-24x7');
    const ticket = await open(h, customer.key, { priority: 'P3', channel: 'chat' });
    await h.advance(Z('2026-11-23T10:00:00Z'));
    const raised = await h.call('PATCH', `/tickets/${ticket.id}`, { key: agent, body: { priority: 'P1' } });
    expect(raised.body.sla.breaches).toEqual([
      { clock: 'response', dueAt: '2026-11-23T09:00:00.000Z', breachedAt: '2026-11-23T10:00:00.000Z' },
    ]);
    expect(raised.body.sla.escalationLevel).toBe(1);
  });
});

describe('stale, duplicate and lost events', () => {
  it('ignores a duplicate delivery and an event of an older generation', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const agent = await h.key('agent');
    const customer = await h.customer('ombori-enterprise');
    const ticket = await open(h, customer.key, { priority: 'P1' });
    h.clock.set(Z('2026-11-23T08:30:00Z')); // due, but no event fired yet
    const event = { ticketId: ticket.id, clock: 'response', kind: 'breach', generation: 1 };
    const [first, second] = await Promise.all([
      handleDeadlineEvent(event, h.deps),
      handleDeadlineEvent(event, h.deps),
    ]);
    // One delivery handles it; the duplicate finds it handled (no longer a pending event) and does nothing.
    expect([first.outcome, second.outcome].filter((o) => o === 'handled')).toHaveLength(1);
    expect((await handleDeadlineEvent(event, h.deps)).outcome).not.toBe('handled');
    const read = (await h.call('GET', `/tickets/${ticket.id}`)).body;
    expect(read.sla.breaches).toHaveLength(1);
    expect(read.sla.escalationLevel).toBe(1);
    expect(h.outbox.list().filter((m) => m.subject.includes('SLA breach'))).toHaveLength(1);

    await h.call('POST', `/tickets/${ticket.id}/messages`, { key: agent, body: { body: 'On it' } });
    const oldUpdate = { ticketId: ticket.id, clock: 'update', kind: 'breach', generation: 0 };
    expect((await handleDeadlineEvent(oldUpdate, h.deps)).outcome).toBe('invalid'); // generations start at 1
    expect((await handleDeadlineEvent({ ...event, clock: 'update', generation: 7 }, h.deps)).outcome).toBe(
      'stale',
    );
    expect(
      (
        await handleDeadlineEvent(
          { ticketId: 'TKT-GONE', clock: 'response', kind: 'breach', generation: 1 },
          h.deps,
        )
      ).outcome,
    ).toBe('stale');
    expect((await handleDeadlineEvent({ nonsense: true }, h.deps)).outcome).toBe('invalid');
  });

  it('catches a lost event with the sweeper', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const customer = await h.customer('ombori-enterprise');
    const ticket = await open(h, customer.key, { priority: 'P2' }); // 1 h, 24/7
    for (const s of await h.scheduler.due(Z('2030-01-01T00:00:00Z'))) await h.scheduler.claim(s.name); // lost
    const warnings = () => h.outbox.list().filter((m) => m.subject.includes('SLA warning'));
    expect(await h.advance(Z('2026-11-23T08:48:30Z'))).toEqual([]); // warning due 08:48; within its grace minute
    expect(warnings()).toHaveLength(0);
    await h.advance(Z('2026-11-23T08:50:00Z')); // the sweeper finds the lost warning
    expect(warnings().map((m) => m.sentAt)).toEqual(['2026-11-23T08:50:00.000Z']);
    await h.advance(Z('2026-11-23T09:00:30Z'));
    expect((await h.call('GET', `/tickets/${ticket.id}`)).body.sla.escalationLevel).toBe(0); // breach: still in grace
    await h.advance(Z('2026-11-23T09:02:00Z')); // the tick after the grace minute sweeps
    const read = (await h.call('GET', `/tickets/${ticket.id}`)).body;
    expect(read.sla.escalationLevel).toBe(1);
    expect(read.sla.breaches[0].dueAt).toBe('2026-11-23T09:00:00.000Z');
    expect(
      Date.parse(read.sla.breaches[0].breachedAt) - Date.parse(read.sla.breaches[0].dueAt),
    ).toBeLessThanOrEqual(5 * MINUTE);
  });

  it('sends mail a crash left unsent, once, from the sweeper', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const customer = await h.customer('ombori-enterprise');
    const failing = { send: async () => Promise.reject(new Error('SES is down')) };
    const real = h.deps.mailer;
    h.deps.mailer = failing;
    const ticket = await open(h, customer.key, { priority: 'P3' });
    const unsent = () => h.deps.tickets.unsentMail('2030-01-01T00:00:00.000Z', 10);
    expect(await unsent()).toEqual([{ ticketId: ticket.id, seq: 2 }]);
    h.deps.mailer = real;
    await h.advance(Z('2026-11-23T08:01:00Z'));
    expect(h.outbox.list()).toHaveLength(0); // within the grace period its writer may still send it
    await h.advance(Z('2026-11-23T08:03:00Z'));
    await h.advance(Z('2026-11-23T08:10:00Z'));
    expect(h.outbox.list().map((m) => m.subject)).toEqual([
      `[${ticket.id}] We received your request: Kiosk down`,
    ]);
    expect(await unsent()).toEqual([]);
    const mail = (await h.deps.tickets.get(ticket.id))!.timeline.find((e) => e.type === 'mail');
    expect(mail).toMatchObject({ sentAt: '2026-11-23T08:03:00.000Z' });
  });
});

describe('sweeps that overlap (the sweeper runs every 5 minutes for up to 4)', () => {
  it('runs one at a time: the other does nothing, and mail a crash left unsent goes out once', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const customer = await h.customer('ombori-enterprise');
    const real = h.deps.mailer;
    h.deps.mailer = { send: async () => Promise.reject(new Error('SES is down')) };
    const ticket = await open(h, customer.key, { priority: 'P3' });
    await h.advance(Z('2026-11-23T08:10:00Z')); // past its grace: the sweeps fail to send it too
    expect(await h.deps.tickets.unsentMail('2030-01-01T00:00:00.000Z', 10)).toHaveLength(1);
    // SES is back, slowly: both sweeps would find the mail unsent before either marked it sent.
    h.deps.mailer = {
      send: async (mail) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return real.send(mail);
      },
    };
    const results = await Promise.all([sweep(h.deps), sweep(h.deps)]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.find((r) => r !== null)).toEqual({ attended: 0, handled: 0, mailed: 1 });
    expect(h.outbox.list().map((m) => m.subject)).toEqual([
      `[${ticket.id}] We received your request: Kiosk down`,
    ]);
    // The lease was given back: the next sweep runs.
    expect(await sweep(h.deps)).toEqual({ attended: 0, handled: 0, mailed: 0 });
  });

  it('takes over a lease its holder never gave back once it runs out, and no sooner', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const at = (ms: number) => new Date(ms).toISOString();
    const now = h.clock.now();
    const { tickets } = h.deps;
    expect(await tickets.takeLease('sweeper', 'killed', at(now), at(now + SWEEP_LEASE_MS))).toBe(true);
    expect(await sweep(h.deps)).toBeNull();
    expect(await tickets.takeLease('sweeper', 'other', at(now + SWEEP_LEASE_MS - 1), at(now + 1e9))).toBe(
      false,
    );
    await tickets.releaseLease('sweeper', 'other'); // not its lease: nothing happens
    expect(await sweep(h.deps)).toBeNull();
    h.clock.set(now + SWEEP_LEASE_MS);
    expect(await sweep(h.deps)).toEqual({ attended: 0, handled: 0, mailed: 0 });
  });
});

describe('scheduler calls per ticket', () => {
  it('stays low over a whole life: create, respond, update, pause, resume, resolve', async () => {
    const h = await harness('2026-11-23T08:00:00Z');
    const agent = await h.key('agent');
    const customer = await h.customer('ombori-production');
    const counted = { creates: 0, deletes: 0 };
    const inner = h.deps.scheduler;
    const counting: Scheduler = {
      schedule: (id, d) => {
        counted.creates += d.length;
        return inner.schedule(id, d);
      },
      cancel: (id, d) => {
        counted.deletes += d.length;
        return inner.cancel(id, d);
      },
      scheduleSteps: (steps) => {
        counted.creates += steps.length;
        return inner.scheduleSteps(steps);
      },
    };
    h.deps.scheduler = counting;
    const ticket = await open(h, customer.key, { priority: 'P2' }); // response 1 h, updates every 2 h
    expect(counted).toEqual({ creates: 2, deletes: 0 });
    await h.call('POST', `/tickets/${ticket.id}/messages`, { key: agent, body: { body: 'first response' } });
    expect(counted).toEqual({ creates: 4, deletes: 2 }); // response events out, update events in
    await h.call('POST', `/tickets/${ticket.id}/messages`, { key: agent, body: { body: 'an update' } });
    expect(counted).toEqual({ creates: 6, deletes: 4 });
    await h.call('POST', `/tickets/${ticket.id}/messages`, {
      key: agent,
      body: { body: 'internal', internal: true },
    });
    await h.call('POST', `/tickets/${ticket.id}/time-entries`, { key: agent, body: { minutes: 15 } });
    expect(counted).toEqual({ creates: 6, deletes: 4 }); // notes and time move no deadline
    await h.call('POST', `/tickets/${ticket.id}/status`, {
      key: agent,
      body: { status: 'pending-customer' },
    });
    await h.call('POST', `/tickets/${ticket.id}/messages`, {
      key: customer.key,
      body: { body: 'here you go' },
    });
    await h.call('POST', `/tickets/${ticket.id}/status`, { key: agent, body: { status: 'resolved' } });
    expect(counted).toEqual({ creates: 8, deletes: 8 });
  });
});
