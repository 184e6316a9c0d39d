// The local runtime's Slack, when no bot token is set: posts are recorded (GET /local/chat
// lists them), and members' addresses are what was registered (POST /local/chat/members).
import type { Chat, ChatThread, SlackFile } from '../../ports';

export interface RecordedPost extends ChatThread {
  at: string;
  text: string;
}

const MAX_POSTS = 1000;

export class RecordingChat implements Chat {
  readonly posts: RecordedPost[] = [];
  readonly members = new Map<string, string>();

  constructor(private readonly now: () => number) {}

  async post(thread: ChatThread, text: string): Promise<void> {
    this.posts.push({ ...thread, at: new Date(this.now()).toISOString(), text });
    if (this.posts.length > MAX_POSTS) this.posts.shift();
  }

  async direct(userId: string, text: string): Promise<void> {
    await this.post({ teamId: '', channelId: userId, threadTs: '' }, text);
  }

  async userEmail(teamId: string, userId: string): Promise<string | null> {
    return this.members.get(`${teamId}/${userId}`) ?? null;
  }

  readonly files = new Map<string, Uint8Array>();

  async download(teamId: string, file: SlackFile, maxBytes: number): Promise<Uint8Array | null> {
    const bytes = this.files.get(`${teamId}/${file.id}`);
    return bytes && bytes.length <= maxBytes ? bytes : null;
  }

  /** A file shared in `teamId`, as Slack would serve it to the bot. */
  addFile(teamId: string, fileId: string, bytes: Uint8Array): void {
    this.files.set(`${teamId}/${fileId}`, bytes);
    if (this.files.size > MAX_POSTS) this.files.delete(this.files.keys().next().value!);
  }

  /** Makes `userId` of `teamId` a member with this address. */
  addMember(teamId: string, userId: string, email: string): void {
    this.members.set(`${teamId}/${userId}`, email);
  }
}
