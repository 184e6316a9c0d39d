// The local runtime's mailer: every mail goes to the outbox (GET /local/outbox) and, with a
// data directory, to an .eml file under DATA_DIR/outbox that any mail client can open.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseSender } from '../../../domain/sender';
import type { Clock, Mailer, OutgoingMail } from '../../ports';

export interface OutboxMail {
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  sentAt: string;
  messageId: string;
  references: string[];
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: string }[];
}

export class LocalOutbox implements Mailer {
  private readonly mails: OutboxMail[] = [];
  /** As nodemailer takes it (it encodes a name that is not ASCII). */
  private readonly from: string | { name: string; address: string };

  constructor(
    private readonly clock: Clock,
    from: string,
    private readonly directory: string | null = null,
  ) {
    const { name, address } = parseSender(from);
    this.from = name ? { name, address } : address;
    if (directory) mkdirSync(directory, { recursive: true });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const sentAt = new Date(this.clock.now());
    this.mails.push({
      to: mail.to,
      cc: mail.cc ?? [],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      sentAt: sentAt.toISOString(),
      messageId: mail.messageId,
      references: mail.references ?? [],
      headers: mail.headers ?? {},
      attachments: mail.attachments ?? [],
    });
    if (!this.directory) return;
    const message = await new MailComposer({
      from: this.from,
      to: mail.to,
      ...(mail.cc?.length ? { cc: mail.cc } : {}),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      ...(mail.references ? { references: mail.references } : {}),
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
      date: sentAt,
    })
      .compile()
      .build();
    const file = `${sentAt.toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9.-]/g, '')}.eml`;
    writeFileSync(join(this.directory, file), message);
  }

  list(): OutboxMail[] {
    return [...this.mails];
  }
}
