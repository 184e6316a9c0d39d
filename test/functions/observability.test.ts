// Powertools on the way AWS runs it: each Lambda handler invoked with a Lambda context, the
// JSON log lines and the EMF metrics it writes read back from stdout and stderr.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Line = Record<string, unknown> & { _aws?: { CloudWatchMetrics: { Dimensions: string[][] }[] } };

const Z = (iso: string) => Date.parse(iso);
let written: string[] = [];

beforeAll(() => {
  // This file's own modules read these when first imported: metrics on, info lines kept.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'; // as Lambda sets it: cold starts are told
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterAll(() => vi.restoreAllMocks());

/** The JSON lines written since the last call. */
function lines(): Line[] {
  const out = written
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
  written = [];
  return out;
}

describe('logs and metrics (Powertools)', () => {
  it('marks the first invocation of a function cold, and writes nothing when it counted nothing', async () => {
    const { lambdaContext } = await import('../../infra/local/gateway');
    const { handler } = await import('../../functions/escalation/handler');
    lines();
    expect(await handler({ ticketId: '' }, lambdaContext())).toEqual({ outcome: 'invalid' });
    const out = lines();
    expect(out).toHaveLength(1); // no metrics line, no warning about their absence
    expect(out[0]).toMatchObject({ level: 'ERROR', message: 'malformed deadline event', cold_start: true });
    expect(written.join('')).toBe('');
  });

  it('counts breaches and warnings in total and per plan, with the invocation in every log line', async () => {
    const { harness } = await import('./harness');
    const { lambdaContext } = await import('../../infra/local/gateway');
    const { handler: sweeper } = await import('../../functions/escalation/sweeper');
    const h = await harness('2026-11-23T08:00:00Z'); // Mon 09:00 Stockholm
    const customer = await h.customer('ombori-pilot');
    const opened = await h.call('POST', '/tickets', {
      key: customer.key,
      body: { subject: 'Kiosk down', description: 'Store 12', channel: 'form', priority: 'P1' },
    });
    expect(opened.status).toBe(201);
    const ticketId = opened.body.id as string;
    // Past the P1 response's warning and breach without their events: the sweeper finds both.
    h.clock.set(Z('2026-11-23T12:30:00Z'));
    lines();
    expect(await sweeper(undefined, lambdaContext())).toEqual({ attended: 1, handled: 2, mailed: 0 });

    const out = lines();
    const handled = out.find((l) => l.message === 'deadlines handled')!;
    expect(handled).toMatchObject({
      level: 'INFO',
      service: 'sla-desk',
      ticketId,
      function_name: 'sla-desk-local',
      handled: ['response#1 warning', 'response#1 breach'],
    });
    expect(handled.function_request_id).toEqual(expect.any(String));
    expect(out.find((l) => l.message === 'sweep done')).toMatchObject({ attended: 1, handled: 2 });

    const emf = out.filter((l) => l._aws);
    const perPlan = (name: string) =>
      emf.filter((l) => l[name] !== undefined && l.plan === 'ombori-pilot').map((l) => l[name]);
    expect(perPlan('Breaches')).toEqual([1]);
    expect(perPlan('Warnings')).toEqual([1]);
    for (const l of emf.filter((l) => l.plan !== undefined)) {
      expect(l._aws!.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'plan']]);
    }
    // The total the breach-rate alarm watches: one line when the invocation ends, by service alone.
    const total = emf.filter((l) => l.plan === undefined && l.Breaches !== undefined);
    expect(total).toHaveLength(1);
    expect(total[0]).toMatchObject({ service: 'sla-desk', Breaches: 1, Warnings: 1 });
    expect(total[0]!._aws!.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'sla-desk',
      Dimensions: [['service']],
    });

    // The harness's requests were this module's first invocations: the sweeper's is not cold.
    expect(handled.cold_start).toBe(false);
    // A second invocation: the first one's ticketId is gone.
    h.clock.set(Z('2026-11-23T12:31:00Z'));
    await sweeper(undefined, lambdaContext());
    const again = lines().find((l) => l.message === 'sweep done')!;
    expect(again).toMatchObject({ attended: 0 });
    expect(again.ticketId).toBeUndefined();
  });

  it('counts mail sent per plan, and names the request and the ticket in a request’s log lines', async () => {
    const { harness } = await import('./harness');
    const h = await harness('2026-11-23T08:00:00Z');
    const customer = await h.customer('ombori-production');
    lines();
    const opened = await h.call('POST', '/tickets', {
      key: customer.key,
      body: { subject: 'Kiosk down', description: 'Store 12', channel: 'form', priority: 'P3' },
    });
    const ticketId = opened.body.id as string;
    const mailed = lines().filter((l) => l.MailSent !== undefined && l.plan === 'ombori-production');
    expect(mailed.length).toBeGreaterThanOrEqual(1); // the acknowledgement at least
    expect(mailed.length).toBe(h.outbox.list().length);

    // A mail that cannot go out is logged with the request and the ticket it belongs to.
    vi.spyOn(h.deps.mailer, 'send').mockRejectedValueOnce(new Error('SES says no'));
    const reply = await h.call('POST', `/tickets/${ticketId}/messages`, {
      body: { body: 'Looking at it now', visibility: 'public' },
    });
    expect(reply.status).toBe(201);
    const failed = lines().find((l) => l.message === 'mail not sent; the sweeper will retry')!;
    expect(failed).toMatchObject({
      level: 'ERROR',
      ticketId,
      error: { name: 'Error', message: 'SES says no' },
    });
    expect(failed.requestId).toEqual(expect.any(String));
    expect(failed.function_request_id).toEqual(expect.any(String));
  });
});
