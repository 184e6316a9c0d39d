// Inbound mail as real clients and servers write it: HTML-only mail, Outlook and Gmail quoting
// the desk's own mail, raw 8-bit and UTF-7 headers, re-sent copies, machine mail without
// Auto-Submitted, mail cut off in transit, uuencoded files, a byte-order mark.

import { randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { REPLY_MARKER } from '../../domain/mail';
import { MAX_CONTACTS } from '../../domain/plans';
import { DELIVERY_STALE_MS } from '../../functions/app/inbound';
import { logger } from '../../functions/observability';
import { startSmtp } from '../../infra/local/smtp';
import { type Harness, harness } from './harness';
import { receiveMail } from './mail-in';

let h: Harness;
let agent: string;
let acme: { id: string; key: string };

const id = () => randomBytes(6).toString('hex');
/** A mail from Ann: headers (CRLF) and a body; its own Message-ID unless one is given. */
const mail = (headers: string[], body: string) => {
  const withId = headers.some((l) => /^message-id:/i.test(l))
    ? headers
    : [...headers, `Message-ID: <${id()}@acme.test>`];
  return `${withId.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
};
const ticketOf = async (ticketId: string, key = agent) =>
  (await h.call('GET', `/tickets/${ticketId}`, { key })).body;
/** Sends a raw mail over the local SMTP server, as a sending server would; its answer. */
async function overSmtp(raw: string, from: string): Promise<string> {
  const smtp = await startSmtp(h.deps, 0);
  try {
    const transport = createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    return (await transport.sendMail({ envelope: { from, to: ['support@vendor.test'] }, raw })).response;
  } finally {
    await smtp.stop();
  }
}
const messages = async (ticketId: string) =>
  (await ticketOf(ticketId)).timeline.filter((e: { type: string }) => e.type === 'message');

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  agent = await h.key('agent');
  acme = await h.customer('ombori-production', [{ email: 'ann@acme.test', name: 'Ann Andersson' }]);
});

describe('the text of a mail', () => {
  it('turns HTML inside multipart/related, beside attachments and without a text part, into text', async () => {
    const raw = mail(
      [
        'From: ann@acme.test',
        'Subject: Menu board',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="m"',
      ],
      [
        '--m',
        'Content-Type: multipart/related; boundary="r"',
        '',
        '--r',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<html><head><style>p{color:red}</style></head><body><p>The menu board in store&nbsp;7 is <b>frozen</b>.</p>',
        '<ul><li>since 08:55</li><li>restart did not help</li></ul><img src="cid:logo"></body></html>',
        '--r',
        'Content-Type: image/png',
        'Content-ID: <logo>',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw0KGgo=',
        '--r--',
        '--m',
        'Content-Type: application/pdf; name="log.pdf"',
        'Content-Disposition: attachment; filename="log.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQ=',
        '--m--',
        '',
      ].join('\n'),
    );
    const outcome = await receiveMail(h, raw);
    const ticket = await ticketOf(outcome.ticketId!);
    expect(ticket.description).toBe(
      'The menu board in store 7 is frozen.\n\n * since 08:55\n * restart did not help',
    );
    expect(ticket.timeline[0].attachments.map((a: { name: string }) => a.name)).toContain('log.pdf');
  });

  it('reads the start of a 3 MB HTML-only mail as text, cut to the ticket’s 64 000 characters', async () => {
    const paragraph = '<p>Store 7: the kiosk shows <b>E451</b> again.</p>\n';
    const raw = mail(
      [
        'From: ann@acme.test',
        'Subject: Big HTML',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
      ],
      `<html><body>${paragraph.repeat(Math.ceil(3_000_000 / paragraph.length))}</body></html>`,
    );
    const ticket = await ticketOf((await receiveMail(h, raw)).ticketId!);
    expect(ticket.description.startsWith('Store 7: the kiosk shows E451 again.\n\nStore 7')).toBe(true);
    expect(ticket.description.endsWith('[truncated: the full mail is stored]')).toBe(true);
    expect(ticket.description.length).toBeLessThanOrEqual(64_000);
  });

  it('decodes raw 8-bit headers (UTF-8, the declared charset, else Windows-1252) and UTF-7', async () => {
    const subjects = [
      // Eudora: a raw 0xF6 inside a Q-encoded word.
      Buffer.concat([
        Buffer.from('Subject: =?iso-8859-1?Q?Die_Fr'),
        Buffer.from([0xf6]),
        Buffer.from('sche?='),
      ]),
      // A raw Latin-1 subject, no MIME at all.
      Buffer.concat([Buffer.from('Subject: Die Fr'), Buffer.from([0xf6]), Buffer.from('sche')]),
      // Raw UTF-8.
      Buffer.from('Subject: Die Frösche'),
      // Outlook 2000's UTF-7.
      Buffer.from('Subject: =?utf-7?Q?Die_Fr+APY-sche?='),
    ];
    for (const subject of subjects) {
      const raw = Buffer.concat([
        Buffer.from(`From: ann@acme.test\r\nMessage-ID: <${id()}@acme.test>\r\n`),
        subject,
        Buffer.from('\r\n\r\nThe kiosk is down.\r\n'),
      ]);
      const ticket = await ticketOf((await receiveMail(h, raw)).ticketId!);
      expect(ticket.subject).toBe('Die Frösche');
    }
    // A body in UTF-7, and a Latin-1 body that declares no charset.
    const utf7 = mail(
      ['From: ann@acme.test', 'Subject: x', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset="utf-7"'],
      'Die Fr+APY-sche +ACI-quaken+ACI-.',
    );
    expect((await ticketOf((await receiveMail(h, utf7)).ticketId!)).description).toBe(
      'Die Frösche "quaken".',
    );
    const latin1 = Buffer.from(
      mail(['From: ann@acme.test', 'Subject: x'], 'Gr\xfc\xdfe aus M\xfcnchen'),
      'latin1',
    );
    expect((await ticketOf((await receiveMail(h, latin1)).ticketId!)).description).toBe('Grüße aus München');
  });

  it('reads text parts inside multipart in UTF-7, in UTF-8 labelled otherwise, and unlabelled Latin-1; files stay as sent', async () => {
    const latin1File = Buffer.from('Gr\xfc\xdfe,K\xf6ln\n', 'latin1');
    const raw = Buffer.concat([
      Buffer.from(
        mail(
          [
            'From: ann@acme.test',
            'Subject: parts',
            'MIME-Version: 1.0',
            'Content-Type: multipart/mixed; boundary="o"',
          ],
          [
            '--o',
            'Content-Type: multipart/alternative; boundary="a"',
            '',
            '--a',
            'Content-Type: text/plain; charset="utf-7"',
            'Content-Transfer-Encoding: quoted-printable',
            '',
            'Die Fr+APY-sche im Teich.',
            '--a',
            'Content-Type: text/html; charset="gb2312"',
            'Content-Transfer-Encoding: 8bit',
            '',
            '<p>Die Frösche im Teich.</p>',
            '--a--',
            '--o',
            'Content-Type: text/csv; name="stores.csv"',
            'Content-Disposition: attachment; filename="stores.csv"',
            'Content-Transfer-Encoding: 8bit',
            '',
            '',
          ].join('\n'),
        ),
      ),
      latin1File,
      Buffer.from(
        '\r\n--o\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe aus K\xf6ln\r\n--o--\r\n',
        'latin1',
      ),
    ]);
    const ticket = await ticketOf((await receiveMail(h, raw)).ticketId!);
    expect(ticket.description).toBe('Die Frösche im Teich.\n\nGrüße aus Köln');
    const created = (await h.deps.tickets.get(ticket.id))!.timeline[0] as {
      attachments: { key: string; name: string }[];
    };
    const csv = created.attachments.find((a) => a.name === 'stores.csv')!;
    expect(Buffer.from((await h.deps.blobs.get(csv.key))!).equals(latin1File)).toBe(true);
  });

  it('stores uuencoded files decoded, as a part and inside the text', async () => {
    const data = Buffer.from('Kiosk 12 log: E451 paper jam at 08:55\n'.repeat(3));
    const uu = uuencode(data);
    const part = mail(
      [
        'From: ann@acme.test',
        'Subject: Log',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
      ],
      `--b\nContent-Type: text/plain\n\nThe log is attached.\n--b\nContent-Type: text/plain; name="k12.log"\nContent-Disposition: attachment; filename="k12.log"\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 k12.log\n${uu}\`\nend\n--b--\n`,
    );
    const inline = mail(
      ['From: ann@acme.test', 'Subject: Log'],
      `The log follows.\n\nbegin 644 k12.log\n${uu}\`\nend\n`,
    );
    for (const raw of [part, inline]) {
      const ticket = await ticketOf((await receiveMail(h, raw)).ticketId!);
      expect(ticket.description).toMatch(/^The log (is attached|follows)\.$/);
      const [file] = ticket.timeline[0].attachments;
      expect(file).toMatchObject({ name: 'k12.log', size: data.length });
      const created = (await h.deps.tickets.get(ticket.id))!.timeline[0] as {
        attachments: { key: string }[];
      };
      const stored = await h.deps.blobs.get(created.attachments[0]!.key);
      expect(Buffer.from(stored!).equals(data)).toBe(true);
    }
  });

  it('finds the sender behind a byte-order mark and obsolete `From  :` syntax', async () => {
    const raw = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(mail(['From  : Ann <ann@acme.test>', 'Subject  : Kiosk 12'], 'Down again.')),
    ]);
    const outcome = await receiveMail(h, raw);
    expect(outcome).toMatchObject({ outcome: 'ticket', from: 'ann@acme.test', subject: 'Kiosk 12' });
  });
});

describe('replies to the desk’s own mail', () => {
  it('opens each ticket mail with the reply marker and quotes as one block of > lines', async () => {
    const opened = await receiveMail(h, mail(['From: ann@acme.test', 'Subject: Kiosk 12'], 'Black screen.'));
    await h.call('POST', `/tickets/${opened.ticketId}/messages`, {
      key: agent,
      body: { body: 'We restarted it.\nDoes it work now?' },
    });
    const reply = h.outbox
      .list()
      .find((m) => m.subject.includes(opened.ticketId!) && m.text.includes('restarted'))!;
    expect(reply.text.split('\n')[0]).toBe(REPLY_MARKER);
    expect(reply.headers?.['Auto-Submitted']).toBeUndefined();
    expect(reply.text).not.toMatch(/^> .*\n\n> /m);
  });

  it('keeps only the new words of Outlook and Gmail replies, with the received mail for staff alone', async () => {
    const opened = await receiveMail(h, mail(['From: ann@acme.test', 'Subject: Kiosk 12'], 'Black screen.'));
    const ticketId = opened.ticketId!;
    await h.call('POST', `/tickets/${ticketId}/messages`, { key: agent, body: { body: 'We restarted it.' } });
    const ours = h.outbox.list().find((m) => m.subject.includes(ticketId) && m.text.includes('restarted'))!;
    const threaded = [`In-Reply-To: ${ours.messageId}`, `References: ${ours.references!.join(' ')}`];
    const outlook = mail(
      ['From: ann@acme.test', `Subject: AW: [${ticketId}] Kiosk 12`, ...threaded],
      `Leider nicht.\n\n-----Ursprüngliche Nachricht-----\nVon: Support <support@vendor.test>\nGesendet: Montag, 23. November 2026 09:00\nAn: Ann\nBetreff: [${ticketId}] Kiosk 12\n\n${ours.text}`,
    );
    const gmail = mail(
      ['From: ann@acme.test', `Subject: Re: [${ticketId}] Kiosk 12`, ...threaded],
      `Now it works.\n\nOn Mon, 23 Nov 2026 at 09:00, Support <\nsupport@vendor.test> wrote:\n\n${ours.text.replace(/^/gm, '> ')}`,
    );
    for (const raw of [outlook, gmail]) expect((await receiveMail(h, raw)).outcome).toBe('message');
    const customer = (await messages(ticketId)).filter((m: { author: string }) => m.author === 'customer');
    expect(customer.map((m: { body: string }) => m.body)).toEqual(['Leider nicht.', 'Now it works.']);
    // Staff reach the whole mail; the customer's view has no trace of it.
    const link = customer[0].original.href;
    expect((await h.call('GET', link, { key: agent })).status).toBe(302);
    const theirs = (await ticketOf(ticketId, acme.key)).timeline.filter(
      (e: { type: string }) => e.type === 'message',
    );
    expect(theirs.every((m: object) => !('original' in m) && !('mailProblem' in m))).toBe(true);
    expect((await h.call('GET', link, { key: acme.key })).status).toBe(404);
  });
});

describe('a message sent again', () => {
  it('files a re-sent copy (new SES id, same Message-ID and content) once: one ticket, one acknowledgement', async () => {
    const raw = mail(
      ['From: ann@acme.test', 'Subject: Sent twice', `Message-ID: <${id()}@acme.test>`],
      'Once.',
    );
    const before = h.outbox.list().length;
    const first = await receiveMail(h, raw);
    const again = await receiveMail(h, raw);
    expect(again).toMatchObject({ outcome: 'duplicate', ticketId: first.ticketId });
    expect(again.reason).toContain(`first delivered as ${first.messageId}`);
    expect(
      h.outbox
        .list()
        .slice(before)
        .filter((m) => m.subject.includes('We received')),
    ).toHaveLength(1);
  });

  it('adds one message for a reply re-sent, at the same time too, and two for two different mails', async () => {
    const ticketId = (await receiveMail(h, mail(['From: ann@acme.test', 'Subject: x'], 'first'))).ticketId!;
    const reply = mail(
      ['From: ann@acme.test', `Subject: Re: [${ticketId}] x`, `Message-ID: <${id()}@acme.test>`],
      'again?',
    );
    await Promise.all([receiveMail(h, reply), receiveMail(h, reply)]);
    await receiveMail(h, reply);
    // A sender that reuses a Message-ID for a different mail loses nothing.
    await receiveMail(h, reply.replace('again?', 'another'));
    const bodies = (await messages(ticketId)).map((m: { body: string }) => m.body);
    expect(bodies.filter((b: string) => b === 'again?')).toHaveLength(1);
    expect(bodies).toContain('another');
  });

  it('files a copy sent again after its first delivery failed, once that delivery is over', async () => {
    const raw = mail(
      ['From: ann@acme.test', 'Subject: Retried', `Message-ID: <${id()}@acme.test>`],
      'Again.',
    );
    // The first delivery fails after claiming the message (the directory is down).
    const failing = new Proxy(h.deps.directory, {
      get: (target, name) =>
        name === 'getCustomer'
          ? () => Promise.reject(new Error('directory unavailable'))
          : Reflect.get(target, name).bind(target),
    });
    await expect(receiveMail({ ...h, deps: { ...h.deps, directory: failing } }, raw)).rejects.toThrow(
      'directory unavailable',
    );
    // A copy while that delivery might still be running is not filed a second time...
    expect((await receiveMail(h, raw)).outcome).toBe('duplicate');
    // ...one after it is certainly over is filed: nothing lost.
    h.clock.set(h.clock.now() + DELIVERY_STALE_MS + 1000);
    expect((await receiveMail(h, raw)).outcome).toBe('ticket');
    expect((await receiveMail(h, raw)).outcome).toBe('duplicate');
  });
});

describe('mail a machine wrote', () => {
  it.each([
    ['a plain-text bounce from the null sender', [], ''],
    ['an Exchange out-of-office without Auto-Submitted', ['X-Auto-Response-Suppress: All'], 'ann@acme.test'],
    ['Precedence: auto_reply', ['Precedence: auto_reply'], 'ann@acme.test'],
    ['a newsletter', ['List-Unsubscribe: <mailto:unsubscribe@acme.test>'], 'ann@acme.test'],
  ])('quarantines %s from a contact and answers nothing', async (_, extra, envelope) => {
    const before = h.outbox.list().length;
    const raw = mail(['From: ann@acme.test', 'Subject: Out of office', ...extra], 'I am away.');
    const outcome = await receiveMail(h, raw, {}, undefined, envelope);
    expect(outcome.outcome).toBe('quarantine');
    expect(h.outbox.list()).toHaveLength(before);
  });

  it('takes a bounce’s null sender from SMTP (MAIL FROM:<>) as SES passes it', async () => {
    const raw = mail(
      ['From: ann@acme.test', 'Subject: Undeliverable: Kiosk 12'],
      'Your message could not be delivered.',
    );
    const response = await overSmtp(raw, '');
    const [, sesId] = /Accepted as (\w+): quarantine$/.exec(response)!;
    const record = await h.deps.inbound.get(sesId!);
    expect(record?.reason).toBe('automatic mail (null envelope sender: a bounce or report)');
  });

  it('answers a mailed request with Auto-Submitted: auto-replied and In-Reply-To / References of it', async () => {
    const messageId = `<${id()}@acme.test>`;
    const outcome = await receiveMail(
      h,
      mail(['From: ann@acme.test', 'Subject: Ack me', `Message-ID: ${messageId}`], 'Hi.'),
    );
    const ack = h.outbox.list().find((m) => m.subject.startsWith(`[${outcome.ticketId}] We received`))!;
    expect(ack.headers).toMatchObject({ 'Auto-Submitted': 'auto-replied', 'In-Reply-To': messageId });
    expect(ack.references).toEqual([messageId, `<${outcome.ticketId}@sla-desk.local>`]);
  });
});

describe('mail cut off in transit', () => {
  const cut = (text: string) =>
    mail(
      [
        'From: ann@acme.test',
        'Subject: Logs',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="c"',
      ],
      `--c\nContent-Type: text/plain\n\n${text}\n--c\nContent-Type: application/zip; name="logs.zip"\nContent-Transfer-Encoding: base64\n\nUEsDBBQAAAAI`,
    );

  it('opens a ticket with what was read, flagged for staff only', async () => {
    const outcome = await receiveMail(h, cut('The logs follow.'));
    expect(outcome).toMatchObject({
      outcome: 'ticket',
      reason: 'read despite damage: truncated multipart message',
    });
    const staff = await ticketOf(outcome.ticketId!);
    expect(staff.description).toBe('The logs follow.');
    expect(staff.timeline[0].mailProblem).toBe('read despite damage: truncated multipart message');
    expect((await ticketOf(outcome.ticketId!, acme.key)).timeline[0].mailProblem).toBeUndefined();
  });

  it('tells a known contact once that a mail without readable text could not be read; nobody else', async () => {
    const before = h.outbox.list().length;
    const outcome = await receiveMail(h, cut(''));
    expect(outcome).toMatchObject({
      outcome: 'quarantine',
      reason: 'malformed: truncated multipart message, no text read',
    });
    await receiveMail(h, cut('').replace(/ann@acme\.test/, 'stranger@elsewhere.test'));
    const sent = h.outbox.list().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: ['ann@acme.test'], headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(sent[0]!.text).toContain('we could not read your mail');
  });
});

describe('threading and customers', () => {
  it('threads a lowercase [tkt-…] tag', async () => {
    const ticketId = (await receiveMail(h, mail(['From: ann@acme.test', 'Subject: x'], 'first'))).ticketId!;
    const reply = mail(['From: ann@acme.test', `Subject: re: [${ticketId.toLowerCase()}] x`], 'lower case');
    expect(await receiveMail(h, reply)).toMatchObject({ outcome: 'message', ticketId });
  });

  it('refuses 160 contacts with a 400 naming the field; the cap fits one DynamoDB transaction', async () => {
    const contacts = Array.from({ length: 160 }, (_, i) => ({ email: `c${i}@big.test`, name: `C ${i}` }));
    const res = await h.call('POST', '/customers', {
      body: { name: 'Big', planId: 'ombori-production', contacts },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ field: 'contacts' });
    expect(await h.deps.directory.customerByEmail('c0@big.test')).toBeNull();
    // The customer, its listing entry and one address claim per contact: at most 100 items.
    expect(MAX_CONTACTS + 2).toBeLessThanOrEqual(100);
  });
});

/** uuencoded lines of `data` (45 bytes a line), without the begin/end lines. */
function uuencode(data: Buffer): string {
  const char = (n: number) => String.fromCharCode(n === 0 ? 96 : n + 32);
  let out = '';
  for (let i = 0; i < data.length; i += 45) {
    const line = data.subarray(i, i + 45);
    out += char(line.length);
    for (let j = 0; j < line.length; j += 3) {
      const [a = 0, b = 0, c = 0] = [line[j], line[j + 1], line[j + 2]];
      out += char(a >> 2) + char(((a & 3) << 4) | (b >> 4)) + char(((b & 15) << 2) | (c >> 6)) + char(c & 63);
    }
    out += '\n';
  }
  return out;
}

describe('mail the desk had not seen', () => {
  const acks = (before: number) =>
    h.outbox
      .list()
      .slice(before)
      .filter((m) => m.subject.includes('We received'));

  it('files an attachment whose Content-Type is empty as a file: SMTP answers 250, never 451 for ever', async () => {
    const raw = mail(
      [
        'From: ann@acme.test',
        'Subject: Photo of kiosk 9',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
      ],
      '--b\nContent-Type: text/plain\n\nThe photo shows it.\n--b\nContent-Type: ; name="photo.jpg"\nContent-Transfer-Encoding: base64\n\n/9j/4AAQSkZJRg==\n--b--\n',
    );
    const [, sesId] = /^250 Accepted as (\w+): ticket$/.exec(await overSmtp(raw, 'ann@acme.test'))!;
    const record = await h.deps.inbound.get(sesId!);
    const [file] = (await ticketOf(record!.ticketId!)).timeline[0].attachments;
    expect(file).toMatchObject({ name: 'photo.jpg', type: 'application/octet-stream', size: 10 });
  });

  it('logs why a mail is refused for now (the store failed), so that no refusal goes unseen', async () => {
    const errors = vi.spyOn(logger, 'error');
    const lookup = vi
      .spyOn(h.deps.directory, 'customerByEmail')
      .mockRejectedValueOnce(new Error('store down'));
    try {
      const sesId = `down-${id()}`;
      await expect(
        receiveMail(h, mail(['From: ann@acme.test', 'Subject: Store down'], 'x'), {}, sesId),
      ).rejects.toThrow('store down');
      expect(errors).toHaveBeenCalledWith(
        'mail not filed yet: it will be delivered again',
        expect.objectContaining({
          sesMessageId: sesId,
          error: expect.objectContaining({ message: 'store down' }),
        }),
      );
    } finally {
      lookup.mockRestore();
      errors.mockRestore();
    }
  });

  it('files a re-sent mail without a Message-ID once, by its stable headers and body', async () => {
    const raw = mail(
      [
        'From: ann@acme.test',
        'To: support@vendor.test',
        'Date: Mon, 23 Nov 2026 09:14:00 +0100',
        'Subject: No id',
        'Message-ID: ',
      ],
      'Kiosk 3 is black.',
    ).replace('Message-ID: \r\n', '');
    expect(raw).not.toMatch(/message-id/i);
    const before = h.outbox.list().length;
    const first = await receiveMail(h, raw);
    const again = await receiveMail(h, raw);
    expect(first.outcome).toBe('ticket');
    expect(again).toMatchObject({ outcome: 'duplicate', ticketId: first.ticketId });
    expect(again.reason).toContain('a mail without Message-ID');
    expect(acks(before)).toHaveLength(1);
    // Another mail without a Message-ID (another Date) is another ticket.
    const other = await receiveMail(h, raw.replace('09:14:00', '11:02:00'));
    expect(other.outcome).toBe('ticket');
  });

  it('answers a broken mail sent again only once', async () => {
    const broken = (i: number) =>
      mail(
        [
          'From: ann@acme.test',
          'Subject: Broken logs',
          `Message-ID: <broken-${i}.${id()}@acme.test>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="c"',
        ],
        '--c\nContent-Type: application/zip; name="logs.zip"\nContent-Transfer-Encoding: base64\n\nUEsDBBQAAAAI',
      );
    const before = h.outbox.list().length;
    expect((await receiveMail(h, broken(1))).outcome).toBe('quarantine');
    expect((await receiveMail(h, broken(2))).outcome).toBe('quarantine');
    const replies = h.outbox
      .list()
      .slice(before)
      .filter((m) => m.text.includes('we could not read your mail'));
    expect(replies).toHaveLength(1);
  });

  it('quarantines machine mail the rules knew only by its address or subject, and acknowledges none', async () => {
    const before = h.outbox.list().length;
    const machines = [
      mail(
        ['From: post_master@mx.acme.test', 'Subject: Undeliverable: Kiosk 12'],
        'Your message could not be delivered.',
      ),
      mail(
        [
          'From: elena-admin@lists.acme.test',
          'Subject: Loop Alert: Duplicated Message-ID',
          'X-MLServer: fml [fml 4.0.3]',
          'X-ML-Name: elena',
        ],
        'fml detected a loop.',
      ),
      mail(
        ['From: ann@acme.test', 'Subject: Abwesenheitsnotiz: Kiosk 12'],
        'Ich bin bis Montag nicht im Büro.',
      ),
      mail(['From: ann@acme.test', 'Subject: Автоматический ответ: Kiosk 12'], 'Я в отпуске.'),
      mail(['From: ann@acme.test', 'Subject: 自動応答: Kiosk 12'], '不在です。'),
    ];
    for (const raw of machines)
      expect((await receiveMail(h, Buffer.from(raw, 'utf8'))).outcome, raw).toBe('quarantine');
    expect(h.outbox.list().slice(before)).toHaveLength(0);
  });

  it('answers one address at most once a day per mail thread, which stops a loop the rules miss', async () => {
    // An auto-responder that sets no header and no known subject, answering each acknowledgement.
    const before = h.outbox.list().length;
    const round = (n: number) =>
      mail(
        ['From: ann@acme.test', `Subject: ${'Re: '.repeat(n)}Player offline`],
        `Thank you, this is round ${n}.`,
      );
    const outcomes = [];
    for (let n = 0; n < 4; n++) outcomes.push(await receiveMail(h, round(n)));
    expect(outcomes.map((o) => o.outcome)).toEqual(['ticket', 'ticket', 'ticket', 'ticket']);
    expect(acks(before)).toHaveLength(1);
    // Another thread is answered, and so is this one the next day.
    const another = h.outbox.list().length;
    await receiveMail(h, round(0).replace('Player offline', 'Printer offline'));
    expect(acks(another)).toHaveLength(1);
    await h.advance(h.clock.now() + 86_400_000);
    const nextDay = h.outbox.list().length;
    await receiveMail(h, round(5));
    expect(acks(nextDay)).toHaveLength(1);
  });

  it('keeps named text parts as files, as mail clients show them, and reads UTF-16 text', async () => {
    const raw = mail(
      [
        'From: ann@acme.test',
        'Subject: Config files',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
      ],
      [
        '--b',
        'Content-Type: text/plain; charset="unicode"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from('Hällo, the configs are attached.', 'utf16le'),
        ]).toString('base64'),
        '--b',
        'Content-Type: text/plain; name="player.log"',
        '',
        '09:00 started',
        '--b',
        'Content-Type: text/plain',
        'Content-Disposition: inline; filename="kiosk.ini"',
        '',
        '[display]',
        '--b--',
        '',
      ].join('\n'),
    );
    const outcome = await receiveMail(h, raw);
    const ticket = await ticketOf(outcome.ticketId!);
    expect(ticket.description).toBe('Hällo, the configs are attached.');
    expect(ticket.timeline[0].attachments.map((a: { name: string }) => a.name)).toEqual([
      'player.log',
      'kiosk.ini',
    ]);
  });

  it('reads a raw UTF-8 file name as UTF-8 beside a raw Latin-1 subject', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        `From: ann@acme.test\r\nSubject: Rapport f\xf6r kiosk 4\r\nMessage-ID: <${id()}@acme.test>\r\nMIME-Version: 1.0\r\n`,
        'latin1',
      ),
      Buffer.from(
        'Content-Type: application/pdf; name="Rapport är klar.pdf"\r\nContent-Disposition: attachment; filename="Rapport är klar.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n',
        'utf8',
      ),
    ]);
    const outcome = await receiveMail(h, raw);
    const ticket = await ticketOf(outcome.ticketId!);
    expect(ticket.subject).toBe('Rapport för kiosk 4');
    expect(ticket.timeline[0].attachments[0].name).toBe('Rapport är klar.pdf');
  });

  it('keeps only the new words of a Hotmail HTML reply (a rule, then Date, From, To, Subject)', async () => {
    const opened = await receiveMail(
      h,
      mail(['From: ann@acme.test', 'Subject: Menu board dark'], 'It is dark.'),
    );
    const html = `<html><body class='hmmessage'><div dir='ltr'>Still dark after the restart.<br><br><div><hr id="stopSpelling">Date: Mon, 23 Nov 2026 10:00:00 +0100<br>From: support@vendor.test<br>To: ann@acme.test<br>Subject: Re: [${opened.ticketId}] Menu board dark<br><br>We restarted the player.<br></div></div></body></html>`;
    await receiveMail(
      h,
      mail(
        [
          'From: ann@acme.test',
          `Subject: RE: [${opened.ticketId}] Menu board dark`,
          'MIME-Version: 1.0',
          'Content-Type: text/html; charset=utf-8',
        ],
        html,
      ),
    );
    const [reply] = await messages(opened.ticketId!);
    expect(reply.body).toBe('Still dark after the restart.');
  });
});
