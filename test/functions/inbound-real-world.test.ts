// Inbound mail as real clients and servers write it: HTML-only mail, Outlook and Gmail quoting
// the desk's own mail, raw 8-bit and UTF-7 headers, re-sent copies, machine mail without
// Auto-Submitted, mail cut off in transit, uuencoded files, a byte-order mark.

import { randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPLY_MARKER } from '../../domain/mail';
import { MAX_CONTACTS } from '../../domain/plans';
import { DELIVERY_STALE_MS } from '../../functions/app/inbound';
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
    const smtp = await startSmtp(h.deps, 0);
    try {
      const transport = createTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
      });
      const raw = mail(
        ['From: ann@acme.test', 'Subject: Undeliverable: Kiosk 12'],
        'Your message could not be delivered.',
      );
      const info = await transport.sendMail({ envelope: { from: '', to: ['support@vendor.test'] }, raw });
      const [, sesId] = /Accepted as (\w+): quarantine$/.exec(info.response)!;
      const record = await h.deps.inbound.get(sesId!);
      expect(record?.reason).toBe('automatic mail (null envelope sender: a bounce or report)');
    } finally {
      await smtp.stop();
    }
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
