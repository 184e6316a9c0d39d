// The Slack workspace over its Web API, as the bot (its token from Secrets on AWS, from
// SLACK_BOT_TOKEN locally). Two methods, called as Slack's own client calls them (a form POST
// with the bot token, `{ ok, error }` back); @slack/web-api's queue, retries and pagination
// (60 KB of the worker's bundle) would go unused: no retries here, a failed post is the
// delivery's to retry, and a rate-limited call fails at once with Slack's wait in its message.
import type { Chat, ChatThread, SlackFile } from '../ports';

/** Where Slack serves shared files: the bot token goes to no other host. */
export const SLACK_FILES_ORIGIN = 'https://files.slack.com';
export const SLACK_API_URL = 'https://slack.com/api/';
const CALL_TIMEOUT_MS = 10_000;

/** A Web API call Slack refused (`ok: false`), with its error code, or failed over HTTP. */
export class SlackApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = 'SlackApiError';
  }
}

export class SlackChat implements Chat {
  constructor(
    private readonly token: () => Promise<string | null>,
    private readonly apiUrl = SLACK_API_URL,
    private readonly filesOrigin = SLACK_FILES_ORIGIN,
  ) {}

  private async bearer(): Promise<string> {
    const token = await this.token();
    if (!token) throw new Error('no Slack bot token is configured');
    return `Bearer ${token}`;
  }

  /** One Web API method with its arguments as a form; Slack's answer when `ok`. */
  private async call(
    method: string,
    args: Record<string, string | undefined>,
  ): Promise<Record<string, unknown>> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(args)) if (value !== undefined) form.set(name, value);
    const res = await fetch(new URL(method, this.apiUrl), {
      method: 'POST',
      headers: { authorization: await this.bearer(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'error',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (res.status === 429)
      throw new SlackApiError(
        method,
        `rate_limited (retry after ${res.headers.get('retry-after') ?? '?'} s)`,
      );
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!res.ok || !body) throw new SlackApiError(method, `HTTP ${res.status}`);
    if (body.ok !== true)
      throw new SlackApiError(method, typeof body.error === 'string' ? body.error : 'not ok');
    return body;
  }

  async post(thread: ChatThread, text: string): Promise<void> {
    await this.call('chat.postMessage', { channel: thread.channelId, thread_ts: thread.threadTs, text });
  }

  async direct(userId: string, text: string): Promise<void> {
    await this.call('chat.postMessage', { channel: userId, text });
  }

  async userEmail(_teamId: string, userId: string): Promise<string | null> {
    const { user } = (await this.call('users.info', { user: userId })) as {
      user?: { profile?: { email?: string } };
    };
    return user?.profile?.email ?? null;
  }

  /** The file from its private URL with the bot token, read to at most `maxBytes`. */
  async download(_teamId: string, file: SlackFile, maxBytes: number): Promise<Uint8Array | null> {
    if (new URL(file.url).origin !== this.filesOrigin) throw new Error(`not a Slack file URL: ${file.url}`);
    const res = await fetch(file.url, {
      headers: { authorization: await this.bearer() },
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
