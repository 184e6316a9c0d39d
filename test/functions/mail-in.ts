// A mail as SES delivers it to the inbound function: the raw message in the blob store under
// its message id, then the receipt notification with its verdicts.
import { randomBytes } from 'node:crypto';
import type { Verdict } from '../../functions/app/inbound';
import { handleSesEvent } from '../../functions/inbound-mail/handler';
import type { InboundRecord } from '../../functions/ports';
import type { Harness } from './harness';

export type Verdicts = Partial<Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', Verdict>>;

export async function receiveMail(
  h: Harness,
  raw: string | Buffer,
  verdicts: Verdicts = {},
  messageId = randomBytes(10).toString('hex'),
  /** MAIL FROM: '' for a bounce's null sender. */
  envelopeSender = 'x@y.test',
): Promise<InboundRecord> {
  await h.deps.blobs.put(
    `inbound/${messageId}`,
    typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw,
    'message/rfc822',
  );
  const v = (k: keyof Verdicts) => ({ status: verdicts[k] ?? 'PASS' });
  const [outcome] = await handleSesEvent(
    {
      Records: [
        {
          eventSource: 'aws:ses',
          ses: {
            mail: { messageId, timestamp: new Date(h.clock.now()).toISOString(), source: envelopeSender },
            receipt: {
              recipients: ['support@vendor.test'],
              spamVerdict: v('spam'),
              virusVerdict: v('virus'),
              spfVerdict: v('spf'),
              dkimVerdict: v('dkim'),
              dmarcVerdict: v('dmarc'),
            },
          },
        },
      ],
    },
    h.deps,
  );
  return outcome!;
}
