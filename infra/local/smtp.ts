// The local runtime's SES inbound: an SMTP server (smtp-server) that accepts mail for any
// recipient, stores the raw message where SES's S3 action would, and invokes the same
// inbound-mail handler with an SES-shaped event (every verdict PASS).
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { config } from '../../functions/config';
import { handleSesEvent } from '../../functions/inbound-mail/handler';
import type { Deps } from '../../functions/ports';

// The SIZE advertised is the limit that applies (MAX_INBOUND_BYTES, 10 MB): a sending server
// learns at once that a larger mail will not be filed, and refuses it to its sender (552),
// rather than have it quarantined unread. (SES itself takes up to 40 MB and the inbound function
// quarantines what is over the limit.)
export interface RunningSmtp {
  port: number;
  stop(): Promise<void>;
}

export async function startSmtp(deps: Deps, port: number, host = '127.0.0.1'): Promise<RunningSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: config().MAX_INBOUND_BYTES,
    banner: 'sla-desk local inbound mail',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const limit = config().MAX_INBOUND_BYTES;
          callback(
            Object.assign(
              new Error(`message exceeds the ${limit} byte limit; send files through the portal`),
              {
                responseCode: 552,
              },
            ),
          );
          return;
        }
        const messageId = randomBytes(16).toString('hex');
        const raw = Buffer.concat(chunks);
        const mailFrom = session.envelope.mailFrom;
        const event = {
          Records: [
            {
              eventSource: 'aws:ses',
              ses: {
                mail: {
                  messageId,
                  timestamp: new Date(deps.clock.now()).toISOString(),
                  source: mailFrom ? mailFrom.address : '',
                },
                receipt: {
                  recipients: session.envelope.rcptTo.map((r) => r.address),
                  spamVerdict: { status: 'PASS' },
                  virusVerdict: { status: 'PASS' },
                  spfVerdict: { status: 'PASS' },
                  dkimVerdict: { status: 'PASS' },
                  dmarcVerdict: { status: 'PASS' },
                },
              },
            },
          ],
        };
        deps.blobs
          .put(`${config().INBOUND_PREFIX}${messageId}`, raw, 'message/rfc822')
          .then(() => handleSesEvent(event, deps))
          .then(([outcome]) => callback(null, `Accepted as ${messageId}: ${outcome?.outcome ?? 'stored'}`))
          .catch((error) =>
            callback(
              Object.assign(new Error(`local processing failed: ${error.message}`), { responseCode: 451 }),
            ),
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
