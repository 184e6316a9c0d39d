// Outbound mail through SES SendRawEmail, composed by nodemailer's MailComposer: plain text
// and HTML, and the headers that make replies thread (Message-ID, References) and keep
// auto-replies out of loops (Auto-Submitted). Header values are stripped of CR/LF.
import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Mailer, OutgoingMail } from '../../ports';

/** No header injection: a header value never carries a line break. */
export const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

export function compose(from: string, mail: OutgoingMail): Promise<Buffer> {
  const headers = Object.fromEntries(
    Object.entries(mail.headers ?? {}).map(([k, v]) => [headerSafe(k), headerSafe(v)]),
  );
  return new MailComposer({
    from: headerSafe(from),
    to: mail.to.map(headerSafe),
    subject: headerSafe(mail.subject),
    text: mail.text,
    html: mail.html,
    messageId: headerSafe(mail.messageId),
    ...(mail.references ? { references: mail.references.map(headerSafe) } : {}),
    ...(mail.attachments ? { attachments: mail.attachments } : {}),
    headers,
  })
    .compile()
    .build();
}

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    await this.client.send(
      new SendRawEmailCommand({
        Source: headerSafe(this.from),
        Destinations: mail.to.map(headerSafe),
        RawMessage: { Data: await compose(this.from, mail) },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
  }
}
