// 301 real-world messages (test/fixtures/mail-corpus, SOURCES.md there) delivered as SES would,
// in file order, with the senders set up as when they were first delivered over SMTP
// (observed-outcomes.csv: its sender_set_up_as). Every file ends as exactly one recorded outcome and none crashes;
// the outcome, reason and the start of each ticket's text are kept in mail-corpus.expected.json,
// and every outcome that differs from the first delivery's is reviewed in REVIEWED below.

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../../domain/billing';
import { type Harness, harness } from './harness';
import { receiveMail } from './mail-in';

const DIR = join(__dirname, '../fixtures/mail-corpus');
const files = readdirSync(DIR)
  .filter((f) => f.includes('__'))
  .sort();

interface Observed {
  from: string;
  standing: string;
  outcome: string;
  reason: string;
}
const observed = new Map<string, Observed>(
  readFileSync(join(DIR, 'observed-outcomes.csv'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      // file,bytes,envelope_from,sender_set_up_as,smtp_reply,outcome,reason (the reason may hold commas)
      const [file, , from, standing, , outcome, ...reason] = line.split(',');
      return [file!, { from: from!, standing: standing!, outcome: outcome!, reason: reason.join(',') }];
    }),
);

/** Each file whose outcome or reason differs from its first delivery, and why (issue 17's defect number). */
const REVIEWED: Record<string, string> = {
  'mikel__error_emails_bad_date_header2.eml':
    '6: no closing boundary and no text: quarantined (a known contact is told once)',
  'mikel__error_emails_empty_in_reply_to.eml':
    '6: no closing boundary and no text: quarantined (a known contact is told once)',
  'mikel__error_emails_missing_body.eml':
    '6: no closing boundary and no text: quarantined (a known contact is told once)',
  'mikel__error_emails_must_supply_encoding.eml':
    '6: no closing boundary and no text: quarantined (a known contact is told once)',
  'mikel__rfc2822_example13.eml':
    '7: the obsolete `From  :` syntax is read (mailparser reads its commented domain as `machine`): an unknown sender',
  'mikel__mime_emails_raw_email12.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__mime_emails_raw_email4.eml':
    '6: no closing boundary, but headers and text read: a ticket flagged for staff',
  'mikel__mime_emails_raw_email_encoded_stack_level_too_deep.eml': '5: a noreply local part (gmail-noreply)',
  'mikel__mime_emails_raw_email_with_quoted_illegal_boundary.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__multipart_report_emails_multi_address_bounce2.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__plain_emails_raw_email5.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__plain_emails_raw_email6.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__plain_emails_raw_email8.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__plain_emails_raw_email_with_at_display_name.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__plain_emails_raw_email_with_partially_quoted_subject.eml':
    '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__rfc2822_example02.eml': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__rfc2822_example05.eml': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__rfc2822_example08.eml': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__rfc2822_example09.eml': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__rfc2822_example11.eml': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mikel__rfc2822_example12.eml': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'mime4j__mimetools-testmsgs_badbound.msg':
    '6: no closing boundary and no text: quarantined (a known contact is told once)',
  'mime4j__mimetools-testmsgs_jt-0498.msg': '6: read now (no closing boundary), then a list mail',
  'mime4j__mimetools-testmsgs_multi-bad.msg': '6: read now (no closing boundary), then an unknown sender',
  'mimekit__feedback-report.txt': '7: the byte-order mark no longer hides From: a feedback report',
  'notmuch__duplicate_msg-2-2_2_': '5: List-Id / List-Unsubscribe',
  'notmuch__threading_ghost-root_1532672447.R3166642290392477575.len_2_S': '5: RT’s "AutoReply:" subject',
  'php__failure.eml': '6: read now (no closing boundary), then a delivery report',
  'php__issue408.eml': 'the 50-attachment cap (328 files): quarantined whole, never filed in part',
  php__m0001: '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  php__issue84: 'issue 26: an ezmlm list mail (Mailing-List header), machine mail by the list rule',
  php__m0015: '5: List-Id / List-Unsubscribe',
  spamscope__mail_malformed_3:
    '6: no closing boundary and no text: quarantined (a known contact is told once)',
  spamscope__mail_test_1: '6: no closing boundary, but headers and text read: a ticket flagged for staff',
  spamscope__mail_test_11: '6: no closing boundary, but headers and text read: a ticket flagged for staff',
  spamscope__mail_test_13: '5: List-Id / List-Unsubscribe',
  spamscope__mail_test_17: '6: no closing boundary, but headers and text read: a ticket flagged for staff',
  spamscope__mail_test_6: '5: List-Id / List-Unsubscribe',
  'zbateson__github-102-02.txt': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'zbateson__m0001.txt': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'zbateson__m0023.txt': '4: the Message-ID, sender and content of an earlier file: a re-sent copy',
  'zbateson__m0024.txt': 'issue 26: an ezmlm list mail (Mailing-List header), machine mail by the list rule',
};

// U+FFFD: bytes decoded in the wrong charset; `+A…-`: UTF-7 left undecoded.
const GARBLED = /\uFFFD|ï¿½|\+A[A-Za-z0-9+/]{2,}-/;
const garbled: string[] = [];
let h: Harness;
const outcomes: Record<
  string,
  { outcome: string; reason: string | null; subject?: string; text?: string; files?: number }
> = {};

/** The senders as the first delivery set them up (observed-outcomes.csv's sender_set_up_as). */
async function setUpSenders(): Promise<void> {
  const byStanding = { production: [] as string[], free: [] as string[], unseated: [] as string[] };
  for (const { from, standing } of new Map(
    [...observed.values()].map((o) => [o.from.toLowerCase(), o]),
  ).values()) {
    const list = standing.includes('ombori-production')
      ? byStanding.production
      : standing.includes('ombori-free')
        ? byStanding.free
        : standing.includes('without seat')
          ? byStanding.unseated
          : null;
    list?.push(from.toLowerCase());
  }
  // Straight into the directory: a few corpus addresses are not ones the API accepts for contacts.
  const customer = (planId: string, list: string[], mayOpenTickets: boolean) =>
    h.deps.directory.createCustomer({
      id: `CUS-CORPUS${randomBytes(4).toString('hex')}`,
      name: `Corpus ${planId}`,
      planId,
      contacts: list.map((email) => ({ email, name: email.split('@')[0]!, mayOpenTickets })),
      contract: Contract.parse({}),
      deviceCount: 0,
      createdAt: '2026-11-23T08:00:00.000Z',
      version: 1,
    });
  for (let i = 0; i < byStanding.production.length; i += 90)
    await customer('ombori-production', byStanding.production.slice(i, i + 90), true);
  await customer('ombori-free', byStanding.free, true);
  await customer('cloudomation-standard', byStanding.unseated, false);
}

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  await setUpSenders();
  const agent = await h.key('agent');
  for (const [i, file] of files.entries()) {
    const raw = readFileSync(join(DIR, file));
    const envelope = observed.get(file)?.from ?? '';
    const outcome = await receiveMail(h, raw, {}, `corpus-${String(i).padStart(3, '0')}`, envelope);
    const stored = await h.deps.inbound.get(outcome.messageId);
    expect(stored, file).toEqual(outcome);
    const ticket =
      outcome.outcome === 'ticket'
        ? (await h.call('GET', `/tickets/${outcome.ticketId}`, { key: agent })).body
        : null;
    if (ticket && GARBLED.test(`${ticket.subject}\n${ticket.description}`)) garbled.push(file);
    const start = (text: string) => text.replace(/\s+/g, ' ').slice(0, 60);
    outcomes[file] = {
      outcome: outcome.outcome,
      reason: outcome.reason,
      ...(ticket
        ? {
            subject: start(ticket.subject),
            text: start(ticket.description),
            files: ticket.timeline[0].attachments?.length ?? 0,
          }
        : {}),
    };
  }
}, 300_000);

describe('the real-world mail corpus', () => {
  it('gives every one of the 301 files exactly one recorded outcome', () => {
    expect(files).toHaveLength(301);
    expect(Object.keys(outcomes)).toHaveLength(301);
  });

  it('matches the reviewed outcomes, reasons and ticket texts', async () => {
    await expect(`${JSON.stringify(outcomes, null, 1)}\n`).toMatchFileSnapshot('./mail-corpus.expected.json');
  });

  it('changes the first delivery’s outcome only where reviewed', () => {
    const changed = files.filter((f) => {
      const was = observed.get(f)!;
      const now = outcomes[f]!;
      return was.outcome !== now.outcome || (was.reason || null) !== now.reason;
    });
    expect(Object.fromEntries(changed.map((f) => [f, REVIEWED[f] ?? 'not reviewed']))).toEqual(
      Object.fromEntries(changed.map((f) => [f, REVIEWED[f]])),
    );
    expect(Object.keys(REVIEWED).filter((f) => !changed.includes(f))).toEqual([]);
  });

  it('reads text from every ticket but a mail of files alone, and no garbled characters', () => {
    const tickets = Object.entries(outcomes).filter(([, o]) => o.outcome === 'ticket');
    expect(tickets.filter(([, o]) => o.text === '(no text)' && !o.files).map(([f]) => f)).toEqual([]);
    expect(garbled).toEqual([]);
  });
});

describe('real client replies (talon’s standard replies)', () => {
  // Each is a reply "Hello" above the quoted mail it answers; delivered from a contact.
  const replies = files.filter((f) => f.startsWith('talon__standard_replies_'));

  it.each(replies)('keeps only "Hello" of %s', async (file) => {
    await h.customer('ombori-production', [{ email: `${file.slice(24, 40)}@replies.test`, name: 'R' }]);
    const raw = readFileSync(join(DIR, file), 'latin1')
      .replace(/^From:.*$/im, `From: R <${file.slice(24, 40)}@replies.test>`)
      .replace(/^Message-ID:.*$/im, `Message-ID: <${file}@replies.test>`);
    const outcome = await receiveMail(h, Buffer.from(raw, 'latin1'));
    expect(outcome.outcome).toBe('ticket');
    const agent = await h.key('agent');
    const ticket = (await h.call('GET', `/tickets/${outcome.ticketId}`, { key: agent })).body;
    expect(ticket.description).toBe('Hello');
  });
});
