// Outbound mail through SES v2 SendEmail (simple content): plain text and HTML, the headers
// that thread replies (References) and keep auto-replies out of loops (Auto-Submitted), and
// attachments. No MIME library in the Lambda bundle: SES composes the message. SES assigns
// the Message-ID; replies find their ticket by the [TKT-…] subject tag and References.
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { fromHeader, parseSender } from '../../../domain/sender';
import type { Mailer, OutgoingMail } from '../../ports';

/** No header injection: a header value never carries a line break. */
export const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

export class SesMailer implements Mailer {
  /** The From header: `address`, or the display name (quoted or RFC 2047-encoded) and `<address>`. */
  private readonly from: string;

  constructor(
    private readonly client: SESv2Client,
    sender: string,
    private readonly configurationSet?: string,
  ) {
    this.from = fromHeader(parseSender(sender));
  }

  async send(mail: OutgoingMail): Promise<void> {
    const headers = [
      ...(mail.references?.length
        ? [{ Name: 'References', Value: mail.references.map(headerSafe).join(' ') }]
        : []),
      ...Object.entries(mail.headers ?? {}).map(([Name, Value]) => ({
        Name: headerSafe(Name),
        Value: headerSafe(Value),
      })),
    ];
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: headerSafe(this.from),
        Destination: {
          ToAddresses: mail.to.map(headerSafe),
          ...(mail.cc?.length ? { CcAddresses: mail.cc.map(headerSafe) } : {}),
        },
        Content: {
          Simple: {
            Subject: { Data: headerSafe(mail.subject), Charset: 'UTF-8' },
            Body: {
              Text: { Data: mail.text, Charset: 'UTF-8' },
              Html: { Data: mail.html, Charset: 'UTF-8' },
            },
            ...(headers.length ? { Headers: headers } : {}),
            ...(mail.attachments?.length
              ? {
                  Attachments: mail.attachments.map((a) => ({
                    FileName: headerSafe(a.filename),
                    ContentType: headerSafe(a.contentType),
                    ContentDisposition: 'ATTACHMENT' as const,
                    RawContent: Buffer.from(a.content),
                  })),
                }
              : {}),
          },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
  }
}
