// Signing in without passwords: one-time links by mail for contacts, API keys for staff, a
// session cookie for the browser; what a session may read and change, and what it never can.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let acme: { id: string; key: string };
let globex: { id: string; key: string };
let ip = 0;
const nextIp = () => `10.0.${Math.floor(++ip / 250)}.${ip % 250}`;

beforeAll(async () => {
  h = await harness(); // Mon 23 Nov 2026 09:00 Stockholm
  agent = await h.key('agent');
  acme = await h.customer('ombori-production', [
    { email: 'ann@acme.test', name: 'Ann' },
    { email: 'ola@acme.test', name: 'Ola' },
    { email: 'reader@acme.test', name: 'Reader', mayOpenTickets: false },
  ]);
  globex = await h.customer('ombori-production', [{ email: 'gus@globex.test', name: 'Gus' }]);
});

/** Asks for a link for `email` and returns the token mailed, if one was. */
async function linkFor(email: string, sourceIp = nextIp()): Promise<string | null> {
  const before = h.outbox.list().length;
  const res = await h.call('POST', '/auth/links', { key: null, body: { email }, sourceIp });
  expect(res.status).toBe(202);
  const mail = h.outbox
    .list()
    .slice(before)
    .find((m) => m.to.includes(email));
  return mail ? /#\/signin\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]! : null;
}

async function signIn(email: string): Promise<string> {
  const token = (await linkFor(email))!;
  const res = await h.call('POST', '/auth/sessions', { key: null, body: { token } });
  expect(res.status).toBe(201);
  return /^sla_session=([^;]+)/.exec(res.headers['set-cookie']!)![1]!;
}

const asSession = (cookie: string, write = true) => ({
  key: null,
  headers: {
    cookie: `theme=dark; sla_session=${cookie}`,
    ...(write ? { 'x-requested-with': 'sla-desk' } : {}),
  },
});

describe('the embedded form’s requests', () => {
  const draft = {
    subject: 'Kiosk "4" <frozen> Bcc: evil@x.test',
    description: 'Since noon 🙂',
    priority: 'P2',
  };

  beforeAll(() => h.customer('ombori-production', [{ email: 'ida@initech.test', name: 'Ida' }]));

  it('mails a link that confirms the request, and hands the request over once with the session', async () => {
    // A subject is one line: a line break (a header injection into the mail) is refused.
    const injected = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: 'ida@initech.test', draft: { ...draft, subject: 'Kiosk\r\nBcc: evil@x.test' } },
      sourceIp: nextIp(),
    });
    expect(injected.status).toBe(400);
    expect(injected.body.error.details[0].field).toBe('draft.subject');
    const before = h.outbox.list().length;
    const asked = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: 'ida@initech.test', draft },
      sourceIp: nextIp(),
    });
    expect(asked.status).toBe(202);
    expect(asked.body.message).toContain('a link to confirm your request');
    const mail = h.outbox
      .list()
      .slice(before)
      .find((m) => m.to.includes('ida@initech.test'))!;
    // The visitor's subject cannot add a header line to the mail.
    expect(mail.subject).toBe('Confirm your support request: Kiosk "4" <frozen> Bcc: evil@x.test');
    const token = /#\/signin\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const opened = await h.call('POST', '/auth/sessions', { key: null, body: { token } });
    expect(opened.status).toBe(201);
    expect(opened.body.draft).toEqual(draft);
    expect(opened.body.contactEmail).toBe('ida@initech.test');
    expect((await h.call('POST', '/auth/sessions', { key: null, body: { token } })).status).toBe(422);
    // A plain sign-in carries no request.
    const plain = await h.call('POST', '/auth/sessions', {
      key: null,
      body: { token: (await linkFor('ida@initech.test'))! },
    });
    expect(plain.body.draft).toBeNull();
  });

  it('answers an unknown address the same, mails nothing, and checks the request’s fields', async () => {
    const before = h.outbox.list().length;
    const unknown = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: 'nobody@initech.test', draft },
      sourceIp: nextIp(),
    });
    expect(unknown.status).toBe(202);
    expect(unknown.body.message).toBe(
      'If nobody@initech.test belongs to a contact, a link to confirm your request is on its way; it works once, for 15 minutes.',
    );
    expect(h.outbox.list().length).toBe(before);
    for (const [bad, field] of [
      [{ ...draft, subject: 'x'.repeat(201) }, 'draft.subject'],
      [{ ...draft, priority: 'P9' }, 'draft.priority'],
      [{ ...draft, description: '' }, 'draft.description'],
    ] as const) {
      const res = await h.call('POST', '/auth/links', {
        key: null,
        body: { email: 'ida@initech.test', draft: bad },
        sourceIp: nextIp(),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });
});

describe('sign-in links', () => {
  it('mails a one-time link to a contact and starts a session bound to them', async () => {
    const token = await linkFor('ANN@acme.test'.toLowerCase());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const mail = h.outbox.list().at(-1)!;
    expect(mail.subject).toBe('Your sign-in link to the support portal');
    expect(mail.text).toContain('It works once, for 15 minutes.');
    const opened = await h.call('POST', '/auth/sessions', { key: null, body: { token } });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      role: 'customer',
      customerId: acme.id,
      contactEmail: 'ann@acme.test',
    });
    const cookie = opened.headers['set-cookie']!;
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(cookie).toContain(flag);
    const value = /^sla_session=([^;]+)/.exec(cookie)![1]!;
    const me = await h.call('GET', '/auth/session', asSession(value, false));
    expect(me.body).toMatchObject({ role: 'customer', name: 'Ann', contactEmail: 'ann@acme.test' });
  });

  it('answers an unknown address exactly as a known one, and mails nothing', async () => {
    const known = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: 'ola@acme.test' },
      sourceIp: nextIp(),
    });
    const before = h.outbox.list().length;
    const unknown = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: 'ola@nowhere.test' },
      sourceIp: nextIp(),
    });
    expect(unknown.status).toBe(known.status);
    expect(unknown.body.message.replace('ola@nowhere.test', 'X')).toBe(
      known.body.message.replace('ola@acme.test', 'X'),
    );
    expect(h.outbox.list().length).toBe(before);
  });

  it('works once, and not after 15 minutes', async () => {
    const token = (await linkFor('ola@acme.test'))!;
    expect((await h.call('POST', '/auth/sessions', { key: null, body: { token } })).status).toBe(201);
    const again = await h.call('POST', '/auth/sessions', { key: null, body: { token } });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'link-invalid', details: [{ field: 'token' }] });
    const late = (await linkFor('ola@acme.test'))!;
    await h.advance(h.clock.now() + 15 * 60_000 + 1000);
    expect((await h.call('POST', '/auth/sessions', { key: null, body: { token: late } })).status).toBe(422);
    const forged = await h.call('POST', '/auth/sessions', { key: null, body: { token: 'x'.repeat(43) } });
    expect(forged.status).toBe(422);
  });

  it('limits links per address and per IP, known or not, with Retry-After', async () => {
    const sourceIp = nextIp();
    for (let i = 0; i < 3; i++) {
      expect(
        (await h.call('POST', '/auth/links', { key: null, body: { email: 'nobody@x.test' }, sourceIp }))
          .status,
      ).toBe(202);
    }
    const limited = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: 'nobody@x.test' },
      sourceIp,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const flood = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push(
        (await h.call('POST', '/auth/links', { key: null, body: { email: `n${i}@x.test` }, sourceIp: flood }))
          .status,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe('a contact’s session', () => {
  it('files as the contact, through the form channel, only with the CSRF header', async () => {
    const cookie = await signIn('ann@acme.test');
    const body = { subject: 'Screen black', description: 'Lobby', priority: 'P2' };
    const forged = await h.call('POST', '/tickets', { ...asSession(cookie, false), body });
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatchObject({ code: 'csrf', details: [{ field: 'x-requested-with' }] });
    const filed = await h.call('POST', '/tickets', { ...asSession(cookie), body });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      requesterEmail: 'ann@acme.test',
      channel: 'form',
      customerId: acme.id,
    });
    const asOther = await h.call('POST', '/tickets', {
      ...asSession(cookie),
      body: { ...body, requesterEmail: 'ola@acme.test' },
    });
    expect(asOther.status).toBe(403);
  });

  it('lets a contact without a seat sign in and read, not file', async () => {
    const cookie = await signIn('reader@acme.test');
    expect((await h.call('GET', '/tickets', asSession(cookie, false))).status).toBe(200);
    const res = await h.call('POST', '/tickets', {
      ...asSession(cookie),
      body: { subject: 's', description: 'd', priority: 'P3' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('no-seat');
  });

  it('never reads another customer’s data', async () => {
    const theirs = (
      await h.call('POST', '/tickets', {
        key: globex.key,
        body: { subject: 'Globex', description: 'x', priority: 'P3' },
      })
    ).body.id;
    const cookie = await signIn('ann@acme.test');
    expect((await h.call('GET', `/tickets/${theirs}`, asSession(cookie, false))).status).toBe(404);
    expect((await h.call('GET', `/customers/${globex.id}`, asSession(cookie, false))).status).toBe(404);
    expect((await h.call('GET', `/tickets?customerId=${globex.id}`, asSession(cookie, false))).status).toBe(
      403,
    );
    const mine = await h.call('GET', '/tickets', asSession(cookie, false));
    expect(mine.body.items.every((t: { customerId: string }) => t.customerId === acme.id)).toBe(true);
    expect(
      (await h.call('POST', `/tickets/${theirs}/messages`, { ...asSession(cookie), body: { body: 'hi' } }))
        .status,
    ).toBe(404);
  });

  it('ends at logout and after its hours', async () => {
    const cookie = await signIn('ola@acme.test');
    const out = await h.call('POST', '/auth/logout', asSession(cookie));
    expect(out.headers['set-cookie']).toContain('Max-Age=0');
    expect((await h.call('GET', '/auth/session', asSession(cookie, false))).status).toBe(401);
    const later = await signIn('ann@acme.test');
    await h.advance(h.clock.now() + 12 * 3_600_000 + 1000);
    expect((await h.call('GET', '/auth/session', asSession(later, false))).status).toBe(401);
  });
});

describe('a staff session', () => {
  it('starts from an agent key, never from a customer key or an unknown one', async () => {
    const opened = await h.call('POST', '/auth/sessions', { key: null, body: { apiKey: agent } });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ role: 'agent', customerId: null });
    const cookie = /^sla_session=([^;]+)/.exec(opened.headers['set-cookie']!)![1]!;
    expect((await h.call('GET', `/customers/${globex.id}`, asSession(cookie, false))).status).toBe(200);
    expect((await h.call('POST', '/auth/sessions', { key: null, body: { apiKey: acme.key } })).status).toBe(
      403,
    );
    expect(
      (await h.call('POST', '/auth/sessions', { key: null, body: { apiKey: 'sla_unknown_key_123' } })).status,
    ).toBe(422);
  });
});
