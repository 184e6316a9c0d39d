// The Slack workspace through @slack/web-api, as the bot (its token from Secrets on AWS, from
// SLACK_BOT_TOKEN locally). No retries here: a failed post is the delivery's to retry.
import { WebClient } from '@slack/web-api';
import type { Chat, ChatThread, SlackFile } from '../ports';

/** Where Slack serves shared files: the bot token goes to no other host. */
export const SLACK_FILES_ORIGIN = 'https://files.slack.com';

export class SlackChat implements Chat {
  private client: { token: string; web: WebClient } | undefined;

  constructor(
    private readonly token: () => Promise<string | null>,
    private readonly apiUrl?: string,
    private readonly filesOrigin = SLACK_FILES_ORIGIN,
  ) {}

  private async web(): Promise<WebClient> {
    const token = await this.token();
    if (!token) throw new Error('no Slack bot token is configured');
    if (this.client?.token !== token) {
      const web = new WebClient(token, {
        retryConfig: { retries: 0 },
        timeout: 10_000,
        rejectRateLimitedCalls: true,
        ...(this.apiUrl ? { slackApiUrl: this.apiUrl } : {}),
      });
      this.client = { token, web };
    }
    return this.client.web;
  }

  async post(thread: ChatThread, text: string): Promise<void> {
    const web = await this.web();
    await web.chat.postMessage({ channel: thread.channelId, thread_ts: thread.threadTs, text });
  }

  async direct(userId: string, text: string): Promise<void> {
    const web = await this.web();
    await web.chat.postMessage({ channel: userId, text });
  }

  async userEmail(_teamId: string, userId: string): Promise<string | null> {
    const web = await this.web();
    const { user } = await web.users.info({ user: userId });
    return user?.profile?.email ?? null;
  }

  /** The file from its private URL with the bot token, read to at most `maxBytes`. */
  async download(_teamId: string, file: SlackFile, maxBytes: number): Promise<Uint8Array | null> {
    if (new URL(file.url).origin !== this.filesOrigin) throw new Error(`not a Slack file URL: ${file.url}`);
    const token = await this.token();
    if (!token) throw new Error('no Slack bot token is configured');
    const res = await fetch(file.url, {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'error',
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status === 404 || res.status === 410) return null;
    if (!res.ok) throw new Error(`Slack answered ${res.status} for file ${file.id}`);
    // Without files:read Slack answers its sign-in page, with 200.
    if (res.headers.get('content-type')?.startsWith('text/html') && !file.mimetype.startsWith('text/html'))
      throw new Error(`Slack sent a page, not file ${file.id}: the bot token needs the files:read scope`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) {
        await res.body?.cancel().catch(() => {});
        return null;
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
}
