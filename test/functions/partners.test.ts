// Onsite partners (Ombori: "possibility to have tickets routed to onsite support partner"):
// admins keep them, agents route a ticket to one, the partner is mailed the summary and answers
// by replying; the customer sees who, never the address or the note, and its clocks run on.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/aws/dynamodb';
import { config } from '../../functions/config';
import { type Harness, harness } from './harness';
import { receiveMail } from './mail-in';

let h: Harness;
let agent: string;
let shop: { id: string; key: string };

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z'); // a Monday, 09:00 in Stockholm
  agent = await h.key('agent');
  shop = await h.customer('ombori-production', [{ email: 'ann@shop.test', name: 'Ann Andersson' }]);
});

const partner = async (body: Record<string, unknown>) => h.call('POST', '/partners', { body });

async function ticket(customerId = shop.id) {
  const res = await h.call('POST', '/tickets', {
    key: agent,
    body: {
      customerId,
      subject: 'Kiosk 12 black screen',
      description: 'The screen of kiosk 12 stays black after a restart.',
      priority: 'P2',
      device: 'Kiosk 12',
    },
  });
  expect(res.status).toBe(201);
  return res.body;
}

const reply = (from: string, inReplyTo: string, subject: string, text: string) =>
  [
    `From: Field Tech <${from}>`,
    'To: support@vendor.test',
    `Subject: ${subject}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@field.test>`,
    `In-Reply-To: ${inReplyTo}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0100',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ].join('\r\n');

describe('the partner directory', () => {
  it('is kept by admins, read by agents, and closed to customers', async () => {
    const created = await partner({
      name: 'Nordic “Onsite” <AB> 🛠',
      email: 'Field@Nordic.test',
      regions: ['SE', 'NO', 'SE'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^PTN-/),
      regions: ['SE', 'NO'],
      version: 1,
    });
    expect((await partner({ name: 'Copy', email: 'field@nordic.TEST', regions: ['DK'] })).status).toBe(409);
    const bad = await partner({ name: 'Bad', email: 'bad@x.test', regions: ['se'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('regions.0');
    expect((await partner({ name: 'None', email: 'none@x.test', regions: [] })).status).toBe(400);

    const byAgent = await h.call('POST', '/partners', {
      key: agent,
      body: { name: 'X', email: 'x@x.test', regions: ['SE'] },
    });
    expect(byAgent.status).toBe(403);
    expect((await h.call('GET', '/partners', { key: shop.key })).status).toBe(403);
    const got = await h.call('GET', `/partners/${created.body.id}`, { key: agent });
    expect(got.body.email).toBe('Field@Nordic.test');
    expect((await h.call('GET', '/partners/PTN-0000000000', { key: agent })).status).toBe(404);
  });

  it('lists who serves a region: a country covers its subdivisions and the other way round', async () => {
    await partner({ name: 'Stockholm Techs', email: 'sthlm@techs.test', regions: ['SE-AB'] });
    await partner({ name: 'Helsinki Field', email: 'hki@field.test', regions: ['FI'] });
    const names = async (region: string) =>
      (await h.call('GET', `/partners?region=${region}`, { key: agent })).body.items.map(
        (p: { name: string }) => p.name,
      );
    expect(await names('SE')).toEqual(['Nordic “Onsite” <AB> 🛠', 'Stockholm Techs']);
    expect(await names('SE-AB')).toEqual(['Nordic “Onsite” <AB> 🛠', 'Stockholm Techs']);
    expect(await names('SE-O')).toEqual(['Nordic “Onsite” <AB> 🛠']);
    expect(await names('FI')).toEqual(['Helsinki Field']);
    expect((await h.call('GET', '/partners?region=Sweden', { key: agent })).status).toBe(400);
  });

  it('changes a partner under its version and frees an address it gave up', async () => {
    const made = await partner({ name: 'Oslo Service', email: 'oslo@service.test', regions: ['NO'] });
    const taken = await h.call('PATCH', `/partners/${made.body.id}`, {
      body: { email: 'field@nordic.test' },
    });
    expect(taken.status).toBe(409);
    const moved = await h.call('PATCH', `/partners/${made.body.id}`, {
      body: { email: 'oslo2@service.test', regions: ['NO', 'SE-O'] },
    });
    expect(moved.body).toMatchObject({ email: 'oslo2@service.test', regions: ['NO', 'SE-O'], version: 2 });
    expect((await partner({ name: 'Reuse', email: 'oslo@service.test', regions: ['NO'] })).status).toBe(201);
    expect((await h.call('PATCH', `/partners/${made.body.id}`, { body: {} })).status).toBe(400);
    expect((await h.call('DELETE', `/partners/${made.body.id}`)).body).toEqual({ removed: true });
    expect((await h.call('DELETE', `/partners/${made.body.id}`)).status).toBe(404);
  });
});

describe('routing a ticket to a partner', () => {
  let nordic: { id: string; email: string };
  let routed: { id: string };
  let partnerMail: { messageId: string; subject: string };

  beforeAll(async () => {
    const items = (await h.call('GET', '/partners', { key: agent })).body.items;
    nordic = items.find((p: { email: string }) => p.email === 'Field@Nordic.test');
  });

  it('mails the partner the summary, records the routing, and shows the customer the name only', async () => {
    routed = await ticket();
    const before = (await h.call('GET', `/tickets/${routed.id}`, { key: agent })).body;
    const res = await h.call('POST', `/tickets/${routed.id}/partner`, {
      key: agent,
      body: { partnerId: nordic.id, note: 'Bring a spare <b>HDMI</b> cable.\nCall Ann first.' },
    });
    expect(res.status).toBe(200);
    expect(res.body.partner).toEqual({
      id: nordic.id,
      name: 'Nordic “Onsite” <AB> 🛠',
      email: 'Field@Nordic.test',
    });
    expect(res.body.status).toBe('new');
    expect(res.body.sla.responseDueAt).toBe(before.sla.responseDueAt);

    const mail = h.outbox.list().find((m) => m.to.includes('field@nordic.test'))!;
    partnerMail = mail;
    expect(mail.subject).toMatch(
      /^\[TKT-[0-9A-Z]{10}\] Onsite support for Customer .*: Kiosk 12 black screen$/,
    );
    expect(mail.text).toContain('Contact on site: Ann Andersson <ann@shop.test>.');
    expect(mail.text).toContain('device Kiosk 12');
    expect(mail.text).toContain("The customer's clocks: First response due Mon 23 Nov 2026 10:00 CET.");
    expect(mail.text).toContain('Note from agent');
    expect(mail.text).toContain('> The screen of kiosk 12 stays black after a restart.');
    expect(mail.html).toContain('Bring a spare &lt;b&gt;HDMI&lt;/b&gt; cable.');
    expect(mail.html).not.toContain('<b>HDMI');

    const seen = (await h.call('GET', `/tickets/${routed.id}`, { key: shop.key })).body;
    expect(seen.partner).toEqual({ name: 'Nordic “Onsite” <AB> 🛠' });
    const entry = seen.timeline.find((e: { type: string }) => e.type === 'routed');
    expect(entry).toMatchObject({ from: null, to: { name: 'Nordic “Onsite” <AB> 🛠' } });
    expect(JSON.stringify(seen)).not.toMatch(/nordic\.test|HDMI/i);
    const staff = (await h.call('GET', `/tickets/${routed.id}`, { key: agent })).body;
    expect(staff.timeline.find((e: { type: string }) => e.type === 'routed')).toMatchObject({
      to: { email: 'Field@Nordic.test' },
      note: 'Bring a spare <b>HDMI</b> cable.\nCall Ann first.',
    });
  });

  it('files the partner’s reply as a partner message for the desk, once; the customer’s clocks run on', async () => {
    const raw = reply('field@nordic.test', partnerMail.messageId, 'Re: onsite', 'On site Tuesday 10:00.');
    const outcome = await receiveMail(h, raw, {}, 'partner-reply-1');
    expect(outcome).toMatchObject({ outcome: 'message', ticketId: routed.id });
    expect((await receiveMail(h, raw, {}, 'partner-reply-1')).outcome).toBe('message');
    const staff = (await h.call('GET', `/tickets/${routed.id}`, { key: agent })).body;
    const messages = staff.timeline.filter((e: { type: string }) => e.type === 'message');
    expect(messages).toEqual([
      expect.objectContaining({
        author: 'partner',
        internal: true,
        body: 'On site Tuesday 10:00.',
        actor: { role: 'partner', name: 'Nordic “Onsite” <AB> 🛠' },
      }),
    ]);
    expect(staff.status).toBe('new');
    expect(staff.sla.respondedAt).toBeNull();
    const seen = (await h.call('GET', `/tickets/${routed.id}`, { key: shop.key })).body;
    expect(seen.timeline.some((e: { type: string }) => e.type === 'message')).toBe(false);
    // No response from the desk: the P2 first response (1 business hour) breaches at 10:00.
    await h.advance(Date.parse('2026-11-23T09:05:00Z'));
    const later = (await h.call('GET', `/tickets/${routed.id}`, { key: agent })).body;
    expect(later.sla.breaches).toEqual([expect.objectContaining({ clock: 'response' })]);
  });

  it('quarantines a partner reply that fails SPF, and a partner’s mail on a ticket not routed to them', async () => {
    const spoofed = reply('field@nordic.test', partnerMail.messageId, 'Re: x', 'Done.');
    expect(await receiveMail(h, spoofed, { spf: 'FAIL' })).toMatchObject({
      outcome: 'quarantine',
      reason: 'spoofing: SPF FAIL for partner field@nordic.test',
    });
    const other = await ticket();
    const stray = reply('field@nordic.test', `<${other.id}.1@${config().MAIL_DOMAIN}>`, 'Re: y', 'Hi.');
    expect(await receiveMail(h, stray)).toMatchObject({
      outcome: 'quarantine',
      reason: 'unknown sender field@nordic.test',
    });
  });

  it('routes to another partner (the first is told), still files the first’s late reply, and takes it back', async () => {
    const items = (await h.call('GET', '/partners', { key: agent })).body.items;
    const sthlm = items.find((p: { name: string }) => p.name === 'Stockholm Techs');
    const moved = await h.call('POST', `/tickets/${routed.id}/partner`, {
      key: agent,
      body: { partnerId: sthlm.id },
    });
    expect(moved.body.partner.name).toBe('Stockholm Techs');
    const told = h.outbox.list().filter((m) => m.to.includes('field@nordic.test'));
    expect(told.at(-1)?.subject).toMatch(/\] No longer needed: Kiosk 12 black screen$/);
    expect(h.outbox.list().some((m) => m.to.includes('sthlm@techs.test'))).toBe(true);
    const late = reply('field@nordic.test', partnerMail.messageId, 'Re: onsite', 'Replaced the cable.');
    expect((await receiveMail(h, late)).outcome).toBe('message');

    const back = await h.call('POST', `/tickets/${routed.id}/partner`, {
      key: agent,
      body: { partnerId: null },
    });
    expect(back.body.partner).toBeNull();
    const again = await h.call('POST', `/tickets/${routed.id}/partner`, {
      key: agent,
      body: { partnerId: null },
    });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('not-routed');
  });

  it('refuses plans without onsite partners, closed work, unknown partners and customers', async () => {
    const free = await h.customer('ombori-free');
    const onFree = await ticket(free.id);
    const refused = await h.call('POST', `/tickets/${onFree.id}/partner`, {
      key: agent,
      body: { partnerId: nordic.id },
    });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'no-onsite-partners']);
    const unknown = await h.call('POST', `/tickets/${routed.id}/partner`, {
      key: agent,
      body: { partnerId: 'PTN-0000000000' },
    });
    expect([unknown.status, unknown.body.error.details[0]?.field]).toEqual([422, 'partnerId']);
    const byCustomer = await h.call('POST', `/tickets/${routed.id}/partner`, {
      key: shop.key,
      body: { partnerId: nordic.id },
    });
    expect(byCustomer.status).toBe(403);
    const done = await ticket();
    await h.call('POST', `/tickets/${done.id}/status`, { key: agent, body: { status: 'resolved' } });
    const late = await h.call('POST', `/tickets/${done.id}/partner`, {
      key: agent,
      body: { partnerId: nordic.id },
    });
    expect([late.status, late.body.error.code]).toEqual([422, 'ticket-not-open']);
  });
});

describe('the partner cap', () => {
  it('keeps at most 500 partners, counted in the same transaction as each creation', async () => {
    const { items } = (await h.call('GET', '/partners', { key: agent })).body;
    // As if 499 partners were stored: the counter is what the creation's condition reads.
    await documentClient(config()).send(
      new PutCommand({
        TableName: config().DIRECTORY_TABLE,
        Item: { pk: 'PARTNERCOUNT', sk: 'PARTNERCOUNT', count: 499 },
      }),
    );
    expect(items.length).toBeLessThan(499);
    const last = await partner({ name: 'Last', email: 'last@cap.test', regions: ['SE'] });
    expect(last.status).toBe(201);
    const over = await partner({ name: 'Over', email: 'over@cap.test', regions: ['SE'] });
    expect([over.status, over.body.error.code]).toEqual([422, 'too-many-partners']);
    await h.call('DELETE', `/partners/${last.body.id}`);
    expect((await partner({ name: 'Room', email: 'room@cap.test', regions: ['SE'] })).status).toBe(201);
  });
});
