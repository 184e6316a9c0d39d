// The Slack workspace through @slack/web-api, as the bot (its token from Secrets on AWS, from
// SLACK_BOT_TOKEN locally). No retries here: a failed post is the delivery's to retry.
import { WebClient } from '@slack/web-api';
import type { Chat, ChatThread } from '../ports';

export class SlackChat implements Chat {
  private client: { token: string; web: WebClient } | undefined;

  constructor(
    private readonly token: () => Promise<string | null>,
    private readonly apiUrl?: string,
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

  async userEmail(_teamId: string, userId: string): Promise<string | null> {
    const web = await this.web();
    const { user } = await web.users.info({ user: userId });
    return user?.profile?.email ?? null;
  }
}
