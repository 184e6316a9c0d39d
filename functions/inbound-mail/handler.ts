// The inbound-mail function: SES's receipt rule stores the raw message in S3 (key = prefix +
// messageId), then invokes this with the notification (headers and verdicts, no body).
import * as z from '../../domain/zod';
import { inboundStore } from '../adapters/aws/inbound-store';
import { type ReceivedMail, receiveMail } from '../app/inbound';
import { config } from '../config';
import { errorFields, logger, observed } from '../observability';
import type { Deps, InboundRecord } from '../ports';
import { addAdapters, deps as wiredDeps } from '../wiring';

addAdapters({ inbound: inboundStore });

const Verdict = z.object({ status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']) });

/** The parts of SES's receipt notification sla-desk reads. */
export const SesEvent = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:ses'),
        ses: z.object({
          mail: z.object({
            messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,200}$/)),
            timestamp: z.iso.datetime({ offset: true }),
            source: z.string(),
          }),
          receipt: z.object({
            recipients: z.array(z.string()),
            spamVerdict: Verdict,
            virusVerdict: Verdict,
            spfVerdict: Verdict,
            dkimVerdict: Verdict,
            dmarcVerdict: Verdict,
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});
export type SesEvent = z.infer<typeof SesEvent>;

export async function handleSesEvent(raw: unknown, d: Deps = wiredDeps()): Promise<InboundRecord[]> {
  const event = SesEvent.parse(raw); // a malformed notification is an error worth an alarm, not a silent skip
  const out: InboundRecord[] = [];
  for (const { ses } of event.Records) {
    const mail: ReceivedMail = {
      messageId: ses.mail.messageId,
      receivedAt: new Date(ses.mail.timestamp).toISOString(),
      rawKey: `${config().INBOUND_PREFIX}${ses.mail.messageId}`,
      envelopeSender: ses.mail.source,
      verdicts: {
        spam: ses.receipt.spamVerdict.status,
        virus: ses.receipt.virusVerdict.status,
        spf: ses.receipt.spfVerdict.status,
        dkim: ses.receipt.dkimVerdict.status,
        dmarc: ses.receipt.dmarcVerdict.status,
      },
    };
    const outcome = await receiveMail(d, mail).catch((error: unknown) => {
      // Only a failure of the store or the mailer gets here (what cannot be read is quarantined):
      // the sender's server, or SES, delivers the mail again; the refusal is logged with why.
      logger.error('mail not filed yet: it will be delivered again', {
        sesMessageId: mail.messageId,
        ...errorFields(error),
      });
      throw error;
    });
    logger.info('mail received', { ...outcome });
    out.push(outcome);
  }
  return out;
}

export const handler = observed((event: unknown) => handleSesEvent(event));
