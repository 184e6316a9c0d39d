// Input at the documented limits, made of the characters that grow most when stored or
// escaped (`"` and `<` become 6 and 4 bytes in HTML, an emoji is 4 bytes of UTF-8), through
// HTTP and SMTP. Each is filed, or refused with a 4xx naming the field; never a 500, never
// an SMTP 451 that makes the sender try forever.
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSmtp } from '../../infra/local/smtp';
import { startSmtp } from '../../infra/local/smtp';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let smtp: RunningSmtp;

const LIMIT = 64_000; // UTF-16 units of a description or message
const WORST: [string, string][] = [
  ['quotes', '"'.repeat(LIMIT)],
  ['angle brackets', '<'.repeat(LIMIT)],
  ['4-byte emoji', '😀'.repeat(LIMIT / 2)],
];

beforeAll(async () => {
  h = await harness();
  agent = await h.key('agent');
  smtp = await startSmtp(h.deps, 0);
});
afterAll(async () => {
  await smtp.stop();
});

const open = (key: string, body: Record<string, unknown>) =>
  h.call('POST', '/tickets', { key, body: { subject: 'Limits', description: 'd', priority: 'P2', ...body } });

describe('over HTTP', () => {
  it.each(WORST)(
    'files a description and an agent reply of 64 000 %s, and mails the reply whole',
    async (_n, text) => {
      const acme = await h.customer('ombori-production');
      const opened = await open(acme.key, { subject: text.slice(0, 200), description: text, priority: 'P1' });
      expect(opened.status).toBe(201);
      const id = opened.body.id;
      const reply = await h.call('POST', `/tickets/${id}/messages`, { key: agent, body: { body: text } });
      expect(reply.status).toBe(201);
      const mail = h.outbox.list().find((m) => m.subject.includes(id) && m.subject.includes('Re:'))!;
      expect(mail.text).toContain(text);
      expect(mail.html.length).toBeGreaterThan(text.length);
      const read = await h.call('GET', `/tickets/${id}`, { key: acme.key });
      expect(read.body.description).toBe(text);
    },
  );

  it('files the escalation key-word with 63 000 quotes on a Platform.sh plan, and mails the escalation', async () => {
    const customer = await h.customer('platformsh-standard');
    const description = `#escalate ${'"'.repeat(63_000)}`;
    const res = await open(customer.key, { description });
    expect(res.status).toBe(201);
    expect(res.body.sla.escalationLevel).toBeGreaterThan(0);
    const escalation = h.outbox
      .list()
      .find((m) => m.subject.includes(res.body.id) && m.subject.includes('Escalated'));
    expect(escalation?.text).toContain('"'.repeat(63_000));
  });

  it('refuses one character over the limit with a 400 naming the field', async () => {
    const acme = await h.customer('ombori-production');
    const res = await open(acme.key, { description: '"'.repeat(LIMIT + 1) });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('description');
  });

  it('refuses NUL, other control characters and lone surrogates in subjects, descriptions and messages (400)', async () => {
    const acme = await h.customer('ombori-production');
    for (const bad of [
      'A\u0000B',
      'lone \ud800 high',
      'lone \udfff low',
      'bell \u0007',
      'C1 \u0085 next line',
    ])
      for (const field of ['subject', 'description']) {
        const res = await open(acme.key, { [field]: bad });
        expect(res.status, `${field} ${JSON.stringify(bad)}`).toBe(400);
        expect(res.body.error.details[0].field).toBe(field);
      }
    // A subject is one line; a description keeps its lines and tabs, and emoji are characters.
    expect((await open(acme.key, { subject: 'two\nlines' })).body.error.details[0].field).toBe('subject');
    const ok = await open(acme.key, {
      subject: 'Kiosk 🧊 frozen',
      description: 'line 1\n\tindented\r\nline 3 😀',
    });
    expect(ok.status).toBe(201);
    const reply = await h.call('POST', `/tickets/${ok.body.id}/messages`, {
      key: agent,
      body: { body: 'x\u0000y' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details[0].field).toBe('body');
  });

  it('creates a customer with 90 contacts of the longest addresses and names', async () => {
    const contacts = Array.from({ length: 90 }, (_, i) => ({
      email: `${String(i).padStart(2, '0')}${'a'.repeat(62)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.test`,
      name: '😀'.repeat(100),
      mayOpenTickets: false,
    }));
    expect(contacts[0]!.email.length).toBe(254);
    const res = await h.call('POST', '/customers', {
      body: { name: '"'.repeat(200), planId: 'ombori-enterprise', contacts },
    });
    expect(res.status).toBe(201);
    expect(
      (
        await h.call('POST', '/customers', {
          body: { name: 'x', planId: 'ombori-free', contacts: [...contacts, contacts[0]] },
        })
      ).status,
    ).toBe(400);
  });

  it('answers a plan too large to store with a 413 naming the part, not a 500', async () => {
    const pilot = (await h.call('GET', '/plans/ombori-pilot')).body;
    const holidays = Array.from({ length: 850 }, (_, i) => ({
      date: new Date(Date.UTC(2030, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
      name: '<'.repeat(100),
    }));
    // Its own holidays alone (no region's, which would add 26 years of them past the 1 000 cap).
    const { holidayRegion: _r, holidayYears: _y, ...own } = pilot.calendar;
    const calendar = { ...own, holidays };
    const levels = Object.fromEntries(
      Object.entries(pilot.levels).map(([p, level]) => [p, { ...(level as object), calendar }]),
    );
    const res = await h.call('POST', '/plans', { body: { ...pilot, id: 'huge-plan', calendar, levels } });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'item-too-large', details: [{ field: 'plan' }] });
    expect((await h.call('GET', '/plans/huge-plan')).status).toBe(404);
  });
});

describe('over SMTP', () => {
  it('advertises the size it files (10 MB), not SES’s 40 MB', async () => {
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(smtp.port, '127.0.0.1');
      socket.on('data', (chunk) => {
        text += chunk;
        if (/^220 /m.test(text) && !text.includes('EHLO sent')) {
          text += 'EHLO sent\n';
          socket.write('EHLO client.test\r\n');
        } else if (/^250 /m.test(text)) {
          socket.end('QUIT\r\n');
          resolve(text);
        }
      });
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^250[- ]SIZE 10485760\r?$/m);
  });

  const send = async (mail: SendMailOptions) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
    });
    try {
      return await transport.sendMail({ to: 'support@vendor.test', ...mail });
    } finally {
      transport.close();
    }
  };

  it.each(WORST)('files a mail of 64 000 %s as a ticket', async (_n, text) => {
    const from = `sender${Math.random().toString(36).slice(2)}@acme.test`;
    await h.customer('ombori-enterprise', [{ email: from, name: 'Sender' }]);
    const info = await send({ from, subject: text.slice(0, 5000), text });
    expect(info.response).toMatch(/^250 .*: ticket$/);
  });

  it('files the key-word with 63 000 quotes on Platform.sh, escalated', async () => {
    const from = `kw${Math.random().toString(36).slice(2)}@acme.test`;
    await h.customer('platformsh-enterprise', [{ email: from, name: 'Sender' }]);
    const info = await send({ from, subject: 'Outage', text: `#escalate ${'"'.repeat(63_000)}` });
    expect(info.response).toMatch(/: ticket$/);
  });

  it('keeps a mail of 200 000 emoji and a 100 000-character subject, cut to the limits', async () => {
    const from = `big${Math.random().toString(36).slice(2)}@acme.test`;
    const customer = await h.customer('ombori-enterprise', [{ email: from, name: 'Sender' }]);
    const info = await send({ from, subject: '<'.repeat(100_000), text: '😀'.repeat(200_000) });
    expect(info.response).toMatch(/: ticket$/);
    const listed = await h.call('GET', `/tickets?customerId=${customer.id}`, { key: agent });
    const ticket = (await h.call('GET', `/tickets/${listed.body.items[0].id}`, { key: agent })).body;
    expect([...ticket.subject]).toHaveLength(200);
    expect(ticket.description).toMatch(/\[truncated: the full mail is stored\]$/);
  });

  it('quarantines a mail with more attachments than a ticket files, and answers 250', async () => {
    const from = `att${Math.random().toString(36).slice(2)}@acme.test`;
    await h.customer('ombori-enterprise', [{ email: from, name: 'Sender' }]);
    const attachments = Array.from({ length: 51 }, (_, i) => ({
      filename: `${'"'.repeat(300)}${i}.txt`,
      content: 'x',
    }));
    const info = await send({ from, subject: 'Logs', text: 'see attached', attachments });
    expect(info.response).toMatch(/: quarantine$/);
    const quarantine = await h.call('GET', '/quarantine', { key: agent });
    expect(quarantine.body.items.map((q: { reason: string }) => q.reason)).toContain(
      'too many attachments to file: 51, the limit is 50 a mail',
    );
  });
});

describe('a full ticket', () => {
  it('refuses a 3 001st entry from callers with a 422, and quarantines a reply by mail instead of failing', async () => {
    const from = `full${Math.random().toString(36).slice(2)}@acme.test`;
    const customer = await h.customer('ombori-enterprise', [{ email: from, name: 'Sender' }]);
    const id = (await open(customer.key, {})).body.id;
    // As if 3 000 entries were written (writing them one by one would take a minute).
    const { ticket } = (await h.deps.tickets.get(id))!;
    await h.deps.tickets.update(
      { ...ticket, timelineLength: 3000, version: ticket.version + 1 },
      ticket.version,
      [],
    );
    const res = await h.call('POST', `/tickets/${id}/messages`, { key: agent, body: { body: 'one more' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ticket-full');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
    });
    const info = await transport.sendMail({
      from,
      to: 'support@vendor.test',
      subject: `Re: [${id}] more`,
      text: 'x',
    });
    transport.close();
    expect(info.response).toMatch(/: quarantine$/);
  });
});
