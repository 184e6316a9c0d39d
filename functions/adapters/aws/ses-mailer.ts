// Outbound mail through SES SendEmail: plain text and HTML, one optional configuration set
// (bounces, complaints). Header values are stripped of CR/LF before they leave.
import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer, OutgoingMail } from '../../ports';

/** No header injection: a header value never carries a line break. */
export const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        Source: headerSafe(this.from),
        Destination: { ToAddresses: mail.to.map(headerSafe) },
        Message: {
          Subject: { Data: headerSafe(mail.subject), Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
  }
}
