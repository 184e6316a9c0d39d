import { describe, expect, it } from 'vitest';
import { type HeaderOf, machineMail, newTextOfReply, REPLY_MARKER, subjectThread } from '../../domain/mail';

const headers =
  (values: Record<string, string>): HeaderOf =>
  (name) =>
    values[name] ?? null;
const person = {
  from: 'ann@acme.test',
  envelopeSender: 'ann@acme.test',
  subject: 'Kiosk 12',
  ownAddress: 'support@vendor.test',
};

describe('mail a machine wrote', () => {
  it.each([
    ['Auto-Submitted: auto-replied', { 'auto-submitted': 'auto-replied' }, {}],
    ['Auto-Submitted: auto-generated', { 'auto-submitted': 'auto-generated' }, {}],
    ['a bounce with the null envelope sender, in plain text', {}, { envelopeSender: '' }],
    ['a bounce whose envelope sender SES writes as <>', {}, { envelopeSender: '<>' }],
    ['Precedence: bulk', { precedence: 'bulk' }, {}],
    ['Precedence: auto_reply', { precedence: 'auto_reply' }, {}],
    ['an Exchange out-of-office without Auto-Submitted', { 'x-auto-response-suppress': 'All' }, {}],
    ['X-Autoreply', { 'x-autoreply': 'yes' }, {}],
    ['a newsletter (List-Unsubscribe)', { 'list-unsubscribe': '<mailto:u@news.test>' }, {}],
    ['a mailing list (List-Id)', { 'list-id': '<linux-kernel.vger.kernel.org>' }, {}],
    ['a delivery report', { 'content-type': 'multipart/report; report-type=delivery-status' }, {}],
    ['gmail-noreply@google.com', {}, { from: 'gmail-noreply@google.com' }],
    ['notifications-noreply@', {}, { from: 'notifications-noreply@linkedin.test' }],
    ['no_reply@', {}, { from: 'no_reply@bank.test' }],
    ['do-not-reply@', {}, { from: 'do-not-reply@gov.test' }],
    ['MAILER-DAEMON@', {}, { from: 'mailer-daemon@mx.acme.test' }],
    ['RT’s "AutoReply:" without a header', {}, { subject: 'AutoReply: [rt.acme #4711] Kiosk 12' }],
    ['Exchange’s "Automatic reply:"', {}, { subject: 'Automatic reply: Kiosk 12' }],
    ['our own address', {}, { from: 'support@vendor.test' }],
    ['a bounce from post_master@ (underscore)', {}, { from: 'post_master@mx.acme.test' }],
    ['mailer_daemon@', {}, { from: 'mailer_daemon@mx.acme.test' }],
    ['majordomo’s owner-list@', {}, { from: 'owner-kiosks@lists.acme.test' }],
    ['mailman’s list-request@', {}, { from: 'kiosks-request@lists.acme.test' }],
    [
      'an fml list manager’s notice from list-admin@',
      { 'x-mlserver': 'fml [fml 4.0.3 release (20011202/4.0.3)]', 'x-ml-name': 'elena' },
      { from: 'elena-admin@fml.test', subject: 'Loop Alert: Duplicated Message-ID' },
    ],
    ['fml’s "Loop Alert" without its headers', {}, { subject: 'Loop Alert: Duplicated Message-ID' }],
  ])('recognises %s', (_, values, mail) => {
    expect(machineMail(headers(values), { ...person, ...mail })).not.toBeNull();
  });

  it.each([
    ['a person’s mail', {}],
    ['Auto-Submitted: no', { 'auto-submitted': 'no' }],
    ['Precedence: first-class', { precedence: 'first-class' }],
  ])('lets %s through', (_, values) => {
    expect(machineMail(headers(values), person)).toBeNull();
  });

  // Out-of-office replies that set no header, known by their subject alone (22 common prefixes).
  it.each([
    'Out of Office: Kiosk 12',
    'Out of Office AutoReply: Kiosk 12',
    'Out of office reply: Kiosk 12',
    'Abwesenheitsnotiz: Kiosk 12',
    'Automatische Antwort: Kiosk 12',
    'Automatiskt svar: Kiosk 12',
    'Autosvar: Kiosk 12',
    'Automatisch antwoord: Kiosk 12',
    'Risposta automatica: Kiosk 12',
    'Réponse automatique : Kiosk 12',
    'Respuesta automática: Kiosk 12',
    'Resposta automática: Kiosk 12',
    'Automaattinen vastaus: Kiosk 12',
    'Automatyczna odpowiedź: Kiosk 12',
    'Automatická odpověď: Kiosk 12',
    'Automatikus válasz: Kiosk 12',
    'Otomatik yanıt: Kiosk 12',
    'Αυτόματη απάντηση: Kiosk 12',
    'Автоматический ответ: Kiosk 12',
    '自動応答: Kiosk 12',
    '自动回复：Kiosk 12',
    '[TKT-0S53VM4VP9] Out of the office: Kiosk 12',
  ])('recognises the out-of-office subject "%s"', (subject) => {
    expect(machineMail(headers({}), { ...person, subject })).toBe('automatic reply (subject)');
  });

  it('does not take subjects that only begin like an out-of-office for one', () => {
    for (const subject of [
      'Absence of logs: kiosk 12',
      'Vacation mode broken',
      'Out of memory: player crashed',
    ])
      expect(machineMail(headers({}), { ...person, subject }), subject).toBeNull();
    expect(machineMail(headers({}), { ...person, from: 'it-admin@acme.test' })).toBeNull();
  });

  it('does not take a person named Noreen or a subject about replies for a machine', () => {
    expect(machineMail(headers({}), { ...person, from: 'noreen@acme.test' })).toBeNull();
    expect(machineMail(headers({}), { ...person, subject: 'Auto reply rules broke our kiosk' })).toBeNull();
    expect(machineMail(headers({}), { ...person, envelopeSender: null })).toBeNull();
  });
});

describe('the new text of a reply', () => {
  const ours = `${REPLY_MARKER}\n\nAn agent replied to your request "Kiosk 12".\n\nWe restarted it.`;
  const quoted = (text: string) =>
    text
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');

  it.each([
    [
      'Gmail, top-posted',
      `It works again.\n\nOn Mon, 23 Nov 2026 at 13:30, Vendor Support <\nsupport@vendor.test> wrote:\n\n${quoted(ours)}\n`,
    ],
    [
      'Outlook (English), its header block unquoted',
      `It works again.\n\n________________________________\nFrom: Vendor Support <support@vendor.test>\nSent: Monday, November 23, 2026 13:30\nTo: Ann\nSubject: [TKT-1] Kiosk 12\n\n${ours}`,
    ],
    [
      'Outlook (German), Ursprüngliche Nachricht',
      `It works again.\n\n-----Ursprüngliche Nachricht-----\nVon: Vendor Support <support@vendor.test>\nGesendet: Montag, 23. November 2026 13:30\nAn: Ann\nBetreff: Kiosk 12\n\nWe restarted it.`,
    ],
    [
      'Outlook (French) without a separator',
      `It works again.\n\nDe : Vendor Support\nEnvoyé : lundi 23 novembre 2026 13:30\nÀ : Ann\nObjet : Kiosk 12\n\nWe restarted it.`,
    ],
    [
      'Apple Mail, the attribution quoted too',
      `It works again.\n> On 23 Nov 2026, at 13:30, Vendor Support <support@vendor.test> wrote:\n>\n${quoted(ours)}`,
    ],
    [
      'Thunderbird, bottom-posted',
      `On 23/11/2026 13:30, Vendor Support wrote:\n${quoted(ours)}\nIt works again.`,
    ],
    [
      'Swedish "skrev"',
      `It works again.\n\nDen 23 nov. 2026 kl. 13:30 skrev Vendor Support <support@vendor.test>:\n\n${quoted(ours)}`,
    ],
    [
      'French "a écrit"',
      `It works again.\n\nLe lun. 23 nov. 2026 à 13:30, Vendor Support <support@vendor.test> a écrit :\n${quoted(ours)}`,
    ],
    [
      'Android (Russian), the attribution wrapped',
      `It works again.\n23.11.2026 13:30 пользователь "support@vendor.test" <\nsupport@vendor.test> написал:\n\n${quoted(ours)}`,
    ],
    ['a client that quotes without > but keeps our marker', `It works again.\n\n${ours}`],
  ])('keeps only the new words of %s', (_, reply) => {
    expect(newTextOfReply(reply)).toBe('It works again.');
  });

  it('cuts at the first line of our own mail when the marker was dropped', () => {
    const reply =
      'It works again.\n\nVendor Support | 23 Nov\n\nAn agent replied to your request "Kiosk 12".\n\nWe restarted it.';
    expect(newTextOfReply(reply, { ourFirstLine: 'An agent replied to your request "Kiosk 12".' })).toBe(
      'It works again.\n\nVendor Support | 23 Nov',
    );
  });

  it('keeps a forward whole and interleaved answers without their questions', () => {
    const forward =
      'See the vendor’s answer below.\n\n-----Original Message-----\nFrom: Kiosk Vendor <v@kiosk.test>\nSent: Monday\n\nFirmware 4.2 fixes it.';
    expect(newTextOfReply(forward, { forwarded: true })).toBe(forward);
    expect(newTextOfReply('> Which store?\nStockholm.\n> Since when?\nSince 08:55.')).toBe(
      'Stockholm.\nSince 08:55.',
    );
  });

  it('drops a quote with the line introducing it; a colon without a quote stays', () => {
    expect(newTextOfReply('The log says:\n> E451 paper jam\nPlease help.')).toBe('Please help.');
    expect(newTextOfReply('Hello,\nthe kiosk is down:\nnothing shows.')).toBe(
      'Hello,\nthe kiosk is down:\nnothing shows.',
    );
  });
});

describe('a mail thread', () => {
  it('is the subject without reply and forward prefixes in any language, tags and case', () => {
    for (const subject of [
      'Re: AW: [TKT-0S53VM4VP9] Fwd:  Screens  Black',
      'RE[2]: screens black',
      'SV: Vs: Screens black',
    ])
      expect(subjectThread(subject), subject).toBe('screens black');
    expect(subjectThread('Reboot loop')).toBe('reboot loop');
  });
});
