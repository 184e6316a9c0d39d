// Reading a received message as real mail clients write it: mailparser for the MIME, and before
// it the repairs it does not make (a byte-order mark, `From  :`, raw 8-bit and UTF-7 headers);
// after it the text of HTML-only mail, UTF-7 bodies and uuencoded files.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
import { convert } from 'html-to-text';
import iconv from 'iconv-lite';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';

/** The sender and headers of a mail: all that is known of one that could not be read whole. */
export type MailHeaders = Pick<ReadMail, 'from' | 'subject' | 'messageId' | 'header'>;

/** A message that cannot be read (no sender, no MIME, no text): quarantined with this reason. */
export class Unreadable extends Error {
  constructor(
    message: string,
    /** What could be read of the headers, when the sender could. */
    readonly headers: MailHeaders | null = null,
  ) {
    super(message);
  }
}

export interface ReadFile {
  filename: string | null;
  contentType: string;
  content: Buffer;
}

export interface ReadMail {
  /** The From address, lower case. */
  from: string;
  subject: string;
  /** The message's own Message-ID header (`<…>`), null when it has none. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  header: (name: string) => string | null;
  /** The whole text: the text part, else the HTML part as text. */
  text: string;
  files: ReadFile[];
  /** What was wrong with a message read anyway (a missing closing boundary), else null. */
  damage: string | null;
}

// The HTML converted to text: 1 MB makes far more than the 64 000 characters a ticket keeps, in
// a fifth of a second (npm run bench:mail); the mail itself is kept whole.
const HTML_LIMIT = 1_000_000;
const UTF7 = /^(x-)?(unicode-1-1-)?utf-?7$/i;
// Outlook and .NET write UTF-16 as "unicode"; iconv-lite knows only the utf-16 names.
const UTF16 = /^(unicode|ucs-?2|utf-?16(le|be)?)$/i;
const OCTETS = 'application/octet-stream';
const TEXT_FALLBACK = 256 * 1024;
const UUENCODE = /^(x-)?uu(encode|e)?$/i;

/**
 * The mail read, or Unreadable with why: reading is pure, so whatever fails in it fails again on
 * every delivery, and the mail is quarantined with the reason instead of refused for ever.
 */
export async function readMail(raw: Uint8Array): Promise<ReadMail> {
  try {
    return await read(raw);
  } catch (error) {
    if (error instanceof Unreadable) throw error;
    throw new Unreadable(`could not be read: ${(error as Error).message ?? String(error)}`);
  }
}

async function read(raw: Uint8Array): Promise<ReadMail> {
  const source = repaired(Buffer.from(raw));
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(await textInUtf8(source), { skipTextToHtml: true, skipTextLinks: true });
  } catch (error) {
    throw new Unreadable(`malformed MIME: ${(error as Error).message}`);
  }
  const address = (parsed.from as AddressObject | undefined)?.value[0]?.address?.toLowerCase();
  if (!address) throw new Unreadable('malformed: no From address');
  const header = (name: string): string | null => {
    const line = parsed.headerLines.find((l) => l.key === name);
    return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : null;
  };
  const plain = (parsed.text ?? '').trim();
  // Where every text part has a name (so is a file), the first one is the text too.
  const text =
    plain ||
    htmlAsText(typeof parsed.html === 'string' ? parsed.html : '') ||
    namedTextOf(parsed.attachments);
  const { text: withoutFiles, files: inline } = inlineUuencoded(text);
  const truncated = missingClosingBoundary(parsed, source);
  const headers: MailHeaders = {
    from: address,
    subject: parsed.subject ?? '',
    messageId: parsed.messageId ?? null,
    header,
  };
  if (truncated && !withoutFiles.trim())
    throw new Unreadable(`malformed: ${truncated}, no text read`, headers);
  return {
    ...headers,
    inReplyTo: parsed.inReplyTo ?? null,
    references: [parsed.references ?? []].flat(),
    text: withoutFiles,
    files: [
      ...parsed.attachments.map((a) => ({
        filename: a.filename ?? null,
        // `Content-Type: ; name="photo.jpg"` leaves no type at all (mailparser gives false).
        contentType: typeof a.contentType === 'string' && a.contentType ? a.contentType : OCTETS,
        content: UUENCODE.test(String(a.headers.get('content-transfer-encoding') ?? ''))
          ? uudecode(a.content.toString('latin1'))
          : a.content,
      })),
      ...inline,
    ],
    damage: truncated,
  };
}

/** The raw message with its header block repaired where mailparser would misread it. */
function repaired(raw: Buffer): Buffer {
  let start = 0;
  if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) start = 3; // a byte-order mark
  // An mbox "From sender date" line before the headers (not the obsolete `From  :` header).
  if (/^From [^\s:]+ /.test(raw.subarray(start, start + 200).toString('latin1')))
    start = raw.indexOf(0x0a, start) + 1 || start;
  const end = headerEnd(raw, start);
  const head = raw.subarray(start, end).toString('latin1');
  const fixed = head
    // Obsolete syntax (RFC 5322 4.5): white space between a field name and its colon.
    .replace(/^([!-9;-~]+)[ \t]+:/gm, '$1:')
    .replace(
      /=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=/g,
      (word, charset: string, encoding: string, text: string) => {
        if (UTF7.test(charset)) {
          const bytes = /q/i.test(encoding) ? qDecode(text) : Buffer.from(text, 'base64');
          return `=?UTF-8?B?${Buffer.from(iconv.decode(bytes, 'utf7')).toString('base64')}?=`;
        }
        // Raw 8-bit bytes inside a Q word (Eudora) are bytes of the word's charset.
        return /q/i.test(encoding)
          ? word.replace(/[\x80-\xff]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`)
          : word;
      },
    );
  const body = raw.subarray(end);
  const headBytes = Buffer.from(fixed, 'latin1');
  const decodedHead = hasHighBytes(headBytes) && !isUtf8(headBytes) ? rawHeader(headBytes, fixed) : headBytes;
  return Buffer.concat([decodedHead, body]);
}

/**
 * Raw 8-bit header bytes as UTF-8, line by line: a line that is valid UTF-8 is UTF-8 (a file
 * name a client wrote raw), any other is the declared charset's, else Windows-1252's.
 */
function rawHeader(bytes: Buffer, head: string): Buffer {
  const declared = /^content-type:[^\n]*?charset\s*=\s*"?([\w.:-]+)/im.exec(head)?.[1];
  const charset =
    declared && iconv.encodingExists(declared) && !/utf-?8/i.test(declared) ? declared : 'windows-1252';
  const lines: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(0x0a, start) + 1 || bytes.length;
    const line = bytes.subarray(start, end);
    lines.push(!hasHighBytes(line) || isUtf8(line) ? line : Buffer.from(iconv.decode(line, charset), 'utf8'));
    start = end;
  }
  return Buffer.concat(lines);
}

/** Where the header block that begins at `start` ends (its blank line), else the end. */
export function headerEnd(raw: Buffer, start = 0): number {
  const crlf = raw.indexOf('\r\n\r\n', start);
  const lf = raw.indexOf('\n\n', start);
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : raw.length;
}

const hasHighBytes = (bytes: Buffer) => bytes.some((b) => b >= 0x80);

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function qDecode(text: string): Buffer {
  return Buffer.from(
    text
      .replace(/_/g, ' ')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

// Transfer encodings mailsplit decodes and encodes again; a part in any other (uuencode) is left as it is.
const KNOWN_ENCODINGS = ['7bit', '8bit', 'binary', 'quoted-printable', 'base64'];

/**
 * The message with every text part (not a file) in UTF-8, which mailparser then reads right:
 * UTF-7 (Outlook 2000, which mailparser leaves undecoded), UTF-16 under any of its names or by
 * its byte-order mark, 8-bit text that is valid UTF-8 whatever its charset says (a mislabelled
 * GB2312), and 8-bit text without a charset that is not UTF-8, as Windows-1252; of an HTML part,
 * its first HTML_LIMIT bytes. A text part with a name (`name=` without a disposition, or
 * `inline; filename=`) is a file, as mail clients show it: it is marked an attachment. Other
 * parts pass byte for byte (mailsplit).
 */
async function textInUtf8(source: Buffer): Promise<Buffer> {
  const rewriter = new Rewriter(
    (node) =>
      typeof node.contentType === 'string' &&
      node.contentType.startsWith('text/') &&
      node.disposition !== 'attachment' &&
      (!node.encoding || KNOWN_ENCODINGS.includes(node.encoding)),
  );
  rewriter.on('node', ({ node, decoder, encoder }) => {
    const chunks: Buffer[] = [];
    decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    decoder.on('end', () => {
      const whole = Buffer.concat(chunks);
      if (node.filename) {
        markAttachment(node);
        encoder.end(whole);
        return;
      }
      // Only the start of a huge HTML part is read (mailparser turns HTML into text too).
      const body = node.contentType === 'text/html' ? whole.subarray(0, HTML_LIMIT) : whole;
      const text = textOf(body, node.charset || '');
      if (text !== null) node.setCharset('utf-8');
      encoder.end(text === null ? body : Buffer.from(text, 'utf8'));
    });
  });
  const out: Buffer[] = [];
  const joiner = new Joiner();
  joiner.on('data', (chunk: Buffer) => out.push(chunk));
  await pipeline(Readable.from([source]), new Splitter(), rewriter, joiner);
  return Buffer.concat(out);
}

/** A text part's body as a string where mailparser would misread it, else null (it reads it right). */
function textOf(body: Buffer, charset: string): string | null {
  const bom = (body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff);
  if (UTF16.test(charset) || (bom && !charset)) {
    // The MIME line end after the part (one byte each: U+0A0D, unassigned, as UTF-16) and a stray
    // last byte are not text.
    const ending = body.at(-2) === 0x0d && body.at(-1) === 0x0a ? 2 : 0;
    const text = body.subarray(0, body.length - ending);
    const even = text.subarray(0, text.length - (text.length % 2));
    const bigEndian = /be$/i.test(charset) || (body[0] === 0xfe && body[1] === 0xff);
    return iconv.decode(even, bigEndian ? 'utf16be' : 'utf16le').replace(/^\ufeff/, '');
  }
  if (UTF7.test(charset)) return iconv.decode(body, 'utf7');
  if (hasHighBytes(body) && isUtf8(body)) return body.toString('utf8');
  if (hasHighBytes(body) && !charset) return iconv.decode(body, 'windows-1252');
  return null;
}

interface NamedNode {
  headers: { update(key: string, value: string): void };
  _parsedContentDisposition: { value: string; params: Record<string, string> };
  libmime: { buildHeaderValue(value: { value: string; params: Record<string, string> }): string };
}

/** A named text part becomes an attachment: its disposition says so, its name stays as written. */
function markAttachment(node: unknown): void {
  const named = node as NamedNode;
  const disposition = { ...named._parsedContentDisposition, value: 'attachment' };
  named.headers.update('Content-Disposition', named.libmime.buildHeaderValue(disposition));
}

/** The first plain-text file with text (at most TEXT_FALLBACK bytes), as text, else ''. */
function namedTextOf(files: ParsedMail['attachments']): string {
  for (const file of files) {
    if (file.contentType !== 'text/plain' || file.content.length > TEXT_FALLBACK) continue;
    const { content } = file;
    const text = (isUtf8(content) ? content.toString('utf8') : iconv.decode(content, 'windows-1252')).trim();
    if (text) return text;
  }
  return '';
}

/** HTML as the text a reader sees: block structure kept, images and styles dropped, quotes as `> `. */
function htmlAsText(html: string): string {
  if (!html.trim()) return '';
  return convert(html, {
    wordwrap: false,
    limits: { maxDepth: 200 },
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    ],
  })
    .replace(/\u00a0/g, ' ')
    .trim();
}

/** A multipart message whose closing boundary never came (cut off in transit), else null. */
function missingClosingBoundary(parsed: ParsedMail, raw: Buffer): string | null {
  const type = parsed.headers.get('content-type') as
    | { value?: string; params?: { boundary?: string } }
    | undefined;
  const boundary = type?.value?.startsWith('multipart/') ? type.params?.boundary : undefined;
  return boundary && !raw.includes(`--${boundary}--`) ? 'truncated multipart message' : null;
}

/** Files uuencoded into the text (`begin 644 name` … `end`, as old Outlook and Usenet clients sent them). */
function inlineUuencoded(text: string): { text: string; files: ReadFile[] } {
  const files: ReadFile[] = [];
  const rest = text.replace(
    /^begin [0-7]{3,4} ([^\n]+)\n([\s\S]*?)^end[ \t]*$/gm,
    (_, name: string, data: string) => {
      files.push({ filename: name.trim(), contentType: 'application/octet-stream', content: uudecode(data) });
      return '';
    },
  );
  return { text: files.length ? rest.replace(/\n{3,}/g, '\n\n').trim() : text, files };
}

/** uuencoding: each line a length character, then 4 characters for every 3 bytes. */
function uudecode(data: string): Buffer {
  const out: number[] = [];
  for (const line of data.split(/\r?\n/)) {
    if (/^begin [0-7]/.test(line)) continue;
    if (/^end\s*$/.test(line)) break;
    const length = (line.charCodeAt(0) - 32) & 63;
    const six = (i: number) => ((line.charCodeAt(i) || 32) - 32) & 63;
    for (let i = 1, n = 0; n < length; i += 4) {
      const [a, b, c, d] = [six(i), six(i + 1), six(i + 2), six(i + 3)];
      const bytes = [(a << 2) | (b >> 4), ((b & 15) << 4) | (c >> 2), ((c & 3) << 6) | d];
      for (const byte of bytes) if (n++ < length) out.push(byte & 255);
    }
  }
  return Buffer.from(out);
}
