// Inbound mail through the Lambda handler: an SES-shaped event and the raw message in the
// blob store, as SES's S3 action leaves it. The corpus is test/fixtures/mime.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalBlobStore } from '../../functions/adapters/local/blobs';
import { config } from '../../functions/config';
import { handleSesEvent } from '../../functions/inbound-mail/handler';
import { type Harness, harness } from './harness';
import { receiveMail, type Verdicts } from './mail-in';

let h: Harness;
let agent: string;
let acme: { id: string; key: string };

/** A fixture as a new mail: its own Message-ID (the same one again would be a re-sent duplicate). */
const fixture = (name: string) =>
  readFileSync(join(__dirname, '../fixtures/mime', name), 'latin1').replace(
    /^Message-ID: <[^>]*>/im,
    `Message-ID: <${randomBytes(8).toString('hex')}@${name}>`,
  );

const receive = (raw: string | Buffer, verdicts: Verdicts = {}, messageId?: string) =>
  receiveMail(h, raw, verdicts, messageId);

const ticketOf = async (id: string) => (await h.call('GET', `/tickets/${id}`, { key: agent })).body;

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  agent = await h.key('agent');
  acme = await h.customer('ombori-production', [
    { email: 'ann@acme.test', name: 'Ann Andersson' },
    { email: 'otto@acme.test', name: 'Otto' },
    { email: 'bjorn@acme.test', name: 'Björn Åström' },
    { email: 'juergen@acme.test', name: 'Jürgen Müller' },
  ]);
});

describe('new tickets from mail', () => {
  it('opens a ticket from a plain mail: subject, [P2] tag, text without signature, channel email', async () => {
    const outcome = await receive(fixture('plain.eml'));
    expect(outcome).toMatchObject({ outcome: 'ticket', from: 'ann@acme.test', reason: null });
    const ticket = await ticketOf(outcome.ticketId!);
    expect(ticket).toMatchObject({
      subject: 'Kiosk 12 shows a black screen',
      priority: 'P2',
      channel: 'email',
      requesterEmail: 'ann@acme.test',
    });
    expect(ticket.description).toBe(
      'Hello,\n\nkiosk 12 in the Stockholm store has shown a black screen since 08:55.\nA restart did not help.',
    );
    expect(h.outbox.list().at(-1)!.subject).toBe(
      `[${ticket.id}] We received your request: Kiosk 12 shows a black screen`,
    );
  });

  it('turns an HTML-only mail into text and gives it the plan’s default priority', async () => {
    const ticket = await ticketOf((await receive(fixture('html-only.eml'))).ticketId!);
    expect(ticket.priority).toBe('P3');
    expect(ticket.description).toContain('The menu board in store 7 still shows yesterday');
    expect(ticket.description).not.toMatch(/<[a-z]/);
  });

  it('keeps attachments as blobs with name, type and size on the timeline', async () => {
    const ticket = await ticketOf((await receive(fixture('alternative-with-attachments.eml'))).ticketId!);
    expect(ticket.description).toBe('Attached are the error log and a photo of the screen.');
    const attachments = ticket.timeline[0].attachments;
    expect(attachments.map((a: { name: string; type: string }) => [a.name, a.type])).toEqual([
      ['error-log.pdf', 'application/pdf'],
      ['screen photo.png', 'image/png'],
    ]);
    // Downloaded the way the pages do: the link, then the file it redirects to.
    const link = await h.call('GET', attachments[0].href);
    expect(link.status).toBe(302);
    const file = await (h.deps.blobs as LocalBlobStore).download(
      new URL(link.headers.location!, 'http://localhost').searchParams,
    );
    const pdf = file!.body;
    expect(Buffer.from(pdf).subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect(pdf.length).toBe(attachments[0].size);
    expect(file!.headers['content-disposition']).toContain('filename="error-log.pdf"');
  });

  it('decodes RFC 2047 subjects in UTF-8 and ISO-8859-1, and 8-bit Latin-1 bodies', async () => {
    const swedish = await ticketOf((await receive(fixture('rfc2047-utf8.eml'))).ticketId!);
    expect(swedish).toMatchObject({
      subject: 'Skärm släckt i Göteborg',
      priority: 'P1',
      description: 'Skärmen i Göteborg är släckt sedan lunch.',
    });
    const german = await ticketOf((await receive(fixture('rfc2047-latin1.eml'))).ticketId!);
    expect(german).toMatchObject({
      subject: 'Störung in München',
      description: 'Die Anzeige in München zeigt nur Grüße.',
    });
  });

  it('decodes quoted-printable and base64 bodies', async () => {
    const qp = await ticketOf((await receive(fixture('quoted-printable.eml'))).ticketId!);
    expect(qp.subject).toBe('Long line with € prices');
    expect(qp.description).toContain(
      '€ 12,50 for every item, which is wrong for the soft-serve and the coffee = both',
    );
    const b64 = await ticketOf((await receive(fixture('base64.eml'))).ticketId!);
    expect(b64.description).toBe('The scanner at checkout 3 reports error E-451 (paper jam) every minute.');
  });

  it('opens a ticket with a 9 MB attachment and quarantines a mail over 10 MB', async () => {
    const big = (mb: number) =>
      Buffer.concat([
        Buffer.from(
          'From: ann@acme.test\r\nTo: support@vendor.test\r\nSubject: Video of the fault\r\nMIME-Version: 1.0\r\n' +
            'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the video.\r\n' +
            '--b\r\nContent-Type: video/mp4; name="fault.mp4"\r\nContent-Disposition: attachment; filename="fault.mp4"\r\n' +
            'Content-Transfer-Encoding: base64\r\n\r\n',
        ),
        Buffer.from(
          randomBytes(Math.floor((mb * 1024 * 1024 * 3) / 4))
            .toString('base64')
            .replace(/.{76}/g, '$&\r\n'),
        ),
        Buffer.from('\r\n--b--\r\n'),
      ]);
    const ok = await receive(big(9));
    expect(ok.outcome).toBe('ticket');
    expect((await ticketOf(ok.ticketId!)).timeline[0].attachments[0]).toMatchObject({
      name: 'fault.mp4',
      type: 'video/mp4',
    });
    const tooBig = await receive(big(10.5));
    expect(tooBig).toMatchObject({
      outcome: 'quarantine',
      reason: expect.stringMatching(/^too large: \d+ bytes, the limit is 10485760$/),
    });
    expect(await h.deps.blobs.get(tooBig.rawKey)).not.toBeNull();
  });
});

describe('replies', () => {
  it('threads Outlook and Gmail replies by In-Reply-To and References, without the quoted history', async () => {
    // A thread of its own: Ann's earlier "Kiosk 12" mails today had their acknowledgement (RFC 3834).
    const opened = await receive(fixture('plain.eml').replace('Kiosk 12 shows', 'Kiosk 14 shows'));
    const ack = h.outbox.list().find((m) => m.subject.startsWith(`[${opened.ticketId}] We received`))!;
    const outlook = fixture('outlook-reply.eml')
      .replace('<IN_REPLY_TO>', ack.messageId)
      .replace('<REFERENCES>', ack.references.join(' '));
    expect(await receive(outlook)).toMatchObject({ outcome: 'message', ticketId: opened.ticketId });
    const gmail = fixture('gmail-reply.eml')
      .replace('<IN_REPLY_TO>', '<nothing@else.test>')
      .replace('<REFERENCES>', ack.references.at(-1)!);
    expect(await receive(gmail)).toMatchObject({ outcome: 'message', ticketId: opened.ticketId });
    const messages = (await ticketOf(opened.ticketId!)).timeline.filter(
      (e: { type: string }) => e.type === 'message',
    );
    expect(messages.map((m: { body: string; author: string }) => [m.author, m.body])).toEqual([
      ['customer', 'It is still black after your restart.'],
      ['customer', 'Works again, thank you!'],
    ]);
  });

  it('threads by the [TKT-…] tag in the subject and resumes a ticket waiting on the customer', async () => {
    const id = (await receive(fixture('plain.eml'))).ticketId!;
    await h.call('POST', `/tickets/${id}/status`, { key: agent, body: { status: 'pending-customer' } });
    const reply = `From: ann@acme.test\r\nTo: support@vendor.test\r\nSubject: Re: [${id}] Kiosk 12\r\n\r\nThe serial is K12-0042.\r\n`;
    expect(await receive(reply)).toMatchObject({ outcome: 'message', ticketId: id });
    expect(await ticketOf(id)).toMatchObject({ status: 'open', sla: { paused: false } });
  });

  it('opens a new ticket that names the old one when the reply is to a closed ticket', async () => {
    const id = (await receive(fixture('plain.eml'))).ticketId!;
    await h.call('POST', `/tickets/${id}/status`, { key: agent, body: { status: 'closed' } });
    const reply = `From: ann@acme.test\r\nSubject: Re: [${id}] Kiosk 12\r\n\r\nIt is black again.\r\n`;
    const outcome = await receive(reply);
    expect(outcome.outcome).toBe('ticket');
    const fresh = await ticketOf(outcome.ticketId!);
    expect(fresh.timeline[0].relatedTicketId).toBe(id);
    expect(fresh.description).toBe(`Follow-up to ${id}, which was closed.\n\nIt is black again.`);
  });

  it('does not thread onto another customer’s ticket', async () => {
    const other = await h.customer('ombori-production', [{ email: 'eve@globex.test', name: 'Eve' }]);
    const theirs = (
      await h.call('POST', '/tickets', {
        key: other.key,
        body: { subject: 's', description: 'd', priority: 'P3', channel: 'email' },
      })
    ).body.id;
    const outcome = await receive(
      `From: ann@acme.test\r\nSubject: Re: [${theirs}] hello\r\n\r\nmine now?\r\n`,
    );
    expect(outcome.outcome).toBe('ticket');
    expect(outcome.ticketId).not.toBe(theirs);
  });

  it('escalates at once on the plan’s key-word', async () => {
    await h.customer('platformsh-enterprise', [{ email: 'ops@shop.test', name: 'Ops' }]);
    const outcome = await receive(
      'From: ops@shop.test\r\nSubject: Checkout down\r\n\r\nNothing sells. #escalate\r\n',
    );
    expect((await ticketOf(outcome.ticketId!)).sla.escalationLevel).toBe(1);
  });
});

describe('exactly once', () => {
  it('makes one ticket of a message SES delivers twice, even at the same time', async () => {
    const id = randomBytes(8).toString('hex');
    const [a, b] = await Promise.all([
      receive(fixture('base64.eml'), {}, id),
      receive(fixture('base64.eml'), {}, id),
    ]);
    expect(a.ticketId).toBe(b.ticketId);
    expect((await receive(fixture('base64.eml'), {}, id)).ticketId).toBe(a.ticketId);
    const list = await h.call('GET', `/tickets?customerId=${acme.id}&limit=100`, { key: agent });
    expect(list.body.items.filter((t: { id: string }) => t.id === a.ticketId)).toHaveLength(1);
  });

  it('adds one message for a reply SES delivers twice', async () => {
    const ticketId = (await receive(fixture('plain.eml'))).ticketId!;
    const reply = `From: ann@acme.test\r\nSubject: Re: [${ticketId}] x\r\n\r\nonce only\r\n`;
    const id = randomBytes(8).toString('hex');
    await Promise.all([receive(reply, {}, id), receive(reply, {}, id)]);
    await receive(reply, {}, id);
    const messages = (await ticketOf(ticketId)).timeline.filter(
      (e: { body?: string }) => e.body === 'once only',
    );
    expect(messages).toHaveLength(1);
  });
});

describe('quarantine', () => {
  it.each([
    ['out-of-office.eml', /^automatic mail \(Auto-Submitted: auto-replied\)$/],
    ['bounce-dsn.eml', /^automatic mail/],
    ['malformed.eml', /^malformed: no From address$/],
  ])('quarantines %s with its reason, answers nobody, and keeps the raw message', async (file, reason) => {
    const sent = h.outbox.list().length;
    const raw = fixture(file);
    const outcome = await receive(raw);
    expect(outcome).toMatchObject({
      outcome: 'quarantine',
      ticketId: null,
      reason: expect.stringMatching(reason),
    });
    expect(outcome.rawKey).toMatch(/^quarantine\//);
    expect(Buffer.from((await h.deps.blobs.get(outcome.rawKey))!).toString('latin1')).toBe(raw);
    expect(h.outbox.list()).toHaveLength(sent);
  });

  it('quarantines spam, viruses and a known contact’s address failing SPF, DKIM or DMARC', async () => {
    expect((await receive(fixture('plain.eml'), { spam: 'FAIL' })).reason).toBe('spam verdict FAIL');
    expect((await receive(fixture('plain.eml'), { virus: 'FAIL' })).reason).toBe('virus verdict FAIL');
    expect((await receive(fixture('plain.eml'), { spf: 'FAIL', dmarc: 'FAIL' })).reason).toBe(
      'spoofing: SPF, DMARC FAIL for contact ann@acme.test',
    );
    expect((await receive(fixture('plain.eml'), { dkim: 'GRAY' })).outcome).toBe('ticket');
  });

  it('answers an unknown sender politely, once a thread a day and at most three times a day', async () => {
    const mail = (i: number, subject = `Help ${i}`) =>
      `From: Stranger <stranger@nowhere.test>\r\nMessage-ID: <s${i}@nowhere.test>\r\nSubject: ${subject}\r\n\r\nmy screen\r\n`;
    const before = h.outbox.list().length;
    for (let i = 1; i <= 5; i++)
      expect((await receive(mail(i))).reason).toBe('unknown sender stranger@nowhere.test');
    const replies = h.outbox.list().slice(before);
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatchObject({
      to: ['stranger@nowhere.test'],
      subject: 'Re: Help 1',
      headers: { 'Auto-Submitted': 'auto-replied', 'In-Reply-To': '<s1@nowhere.test>' },
    });
    // Pointed to the portal's address (SUPPORT_FORM_URL unset), a link and not just words.
    expect(replies[0]!.text).toContain(`through ${config().PORTAL_URL}`);
    // The same thread again (a loop the rules missed would look so): answered once a day.
    const other = (i: number) => mail(i, 'Re: Help').replace(/stranger@/g, 'other@');
    const beforeLoop = h.outbox.list().length;
    for (let i = 11; i <= 13; i++) await receive(other(i));
    expect(h.outbox.list().slice(beforeLoop)).toHaveLength(1);
  });

  it('refuses, with a reason, a plan without e-mail and a contact without a seat', async () => {
    await h.customer('ombori-pilot', [{ email: 'pilot@small.test', name: 'P' }]);
    expect((await receive('From: pilot@small.test\r\nSubject: x\r\n\r\ny\r\n')).reason).toBe(
      'plan ombori-pilot does not include e-mail',
    );
    await h.customer('platformsh-standard', [
      { email: 'lead@seat.test', name: 'Lead' },
      { email: 'intern@seat.test', name: 'Intern', mayOpenTickets: false },
    ]);
    expect((await receive('From: intern@seat.test\r\nSubject: x\r\n\r\ny\r\n')).reason).toBe(
      'intern@seat.test holds no seat of plan platformsh-standard',
    );
  });

  it('lists quarantined mail for staff, newest first, paginated', async () => {
    const res = await h.call('GET', '/quarantine?limit=3', { key: agent });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    expect(res.body.items[0]).toMatchObject({
      messageId: expect.any(String),
      reason: expect.any(String),
      rawKey: expect.stringMatching(/^quarantine\//),
    });
    const next = await h.call('GET', `/quarantine?limit=3&cursor=${res.body.nextCursor}`, { key: agent });
    expect(next.body.items[0].messageId).not.toBe(res.body.items[0].messageId);
    expect((await h.call('GET', '/quarantine', { key: acme.key })).status).toBe(403);
  });

  it('rejects a malformed SES notification loudly', async () => {
    await expect(handleSesEvent({ Records: [{ eventSource: 'aws:sqs' }] }, h.deps)).rejects.toThrow();
  });
});
