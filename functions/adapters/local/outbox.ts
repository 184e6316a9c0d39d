// Mail the local runtime has sent, newest last, for GET /local/outbox (the local mailer
// writes here; on AWS mail goes through SES instead).
export interface OutboxMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  sentAt: string;
}

export class LocalOutbox {
  private readonly mails: OutboxMail[] = [];
  add(mail: OutboxMail): void {
    this.mails.push(mail);
  }
  list(): OutboxMail[] {
    return [...this.mails];
  }
}
