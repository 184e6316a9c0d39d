// email-reply-parser ships no types; the part sla-desk uses.
declare module 'email-reply-parser' {
  export default class EmailReplyParser {
    read(text: string): { getVisibleText(): string };
  }
}
