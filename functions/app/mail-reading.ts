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
const UUENCODE = /^(x-)?uu(encode|e)?$/i;

export async function readMail(raw: Uint8Array): Promise<ReadMail> {
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
  const text = plain || htmlAsText(typeof parsed.html === 'string' ? parsed.html : '');
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
        contentType: a.contentType,
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

/** Raw 8-bit header bytes that are not UTF-8: the declared charset's, else Windows-1252's, as UTF-8. */
function rawHeader(bytes: Buffer, head: string): Buffer {
  const declared = /^content-type:[^\n]*?charset\s*=\s*"?([\w.:-]+)/im.exec(head)?.[1];
  const charset =
    declared && iconv.encodingExists(declared) && !/utf-?8/i.test(declared) ? declared : 'windows-1252';
  return Buffer.from(iconv.decode(bytes, charset), 'utf8');
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
 * UTF-7 (Outlook 2000, which mailparser leaves undecoded), 8-bit text that is valid UTF-8
 * whatever its charset says (a mislabelled GB2312), and 8-bit text without a charset that is
 * not UTF-8, as Windows-1252; of an HTML part, its first HTML_LIMIT bytes. Other parts pass byte
 * for byte (mailsplit).
 */
async function textInUtf8(source: Buffer): Promise<Buffer> {
  const rewriter = new Rewriter(
    (node) =>
      typeof node.contentType === 'string' &&
      node.contentType.startsWith('text/') &&
      node.disposition !== 'attachment' &&
      !node.filename &&
      (!node.encoding || KNOWN_ENCODINGS.includes(node.encoding)),
  );
  rewriter.on('node', ({ node, decoder, encoder }) => {
    const chunks: Buffer[] = [];
    decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    decoder.on('end', () => {
      // Only the start of a huge HTML part is read (mailparser turns HTML into text too).
      const whole = Buffer.concat(chunks);
      const body = node.contentType === 'text/html' ? whole.subarray(0, HTML_LIMIT) : whole;
      const charset = node.charset || '';
      const text = UTF7.test(charset)
        ? iconv.decode(body, 'utf7')
        : hasHighBytes(body) && isUtf8(body)
          ? body.toString('utf8')
          : hasHighBytes(body) && !charset
            ? iconv.decode(body, 'windows-1252')
            : null;
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
