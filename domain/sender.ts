// The desk's From, as a deployment names it (senderEmail): an address, or a display name and
// an address, `Support Desk <support@vendor.example>` or `"Vendor, Support" <support@…>`. One
// reading for the synth (the stack refuses what this refuses), the functions' start and SES.

export interface Sender {
  name: string | null;
  address: string;
}

/** Characters of a display name: what a mail client shows in full. */
export const SENDER_NAME_MAX = 64;
/** RFC 5321's limit on a mailbox. */
const ADDRESS_MAX = 254;

// A dot-atom local part and a domain of LDH labels: what SES sends from.
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const NAMED = /^(.*?)\s*<([^<>]*)>$/s;
// Controls (line breaks among them) would let a name write headers of its own.
const CONTROL = /\p{Cc}/u;
// RFC 5322's specials: a name with one is sent quoted.
const SPECIALS = /[()<>[\]:;@\\,."]/;

/** Why `value` is no sender, or null. */
export function senderProblem(value: string): string | null {
  const named = NAMED.exec(value.trim());
  const address = (named ? named[2]! : value).trim();
  if (address.length > ADDRESS_MAX) return `the address is longer than ${ADDRESS_MAX} characters`;
  if (!ADDRESS.test(address))
    return named
      ? `<${address}> is not an e-mail address`
      : `${JSON.stringify(value)} is neither an address nor Name <address>`;
  if (!named) return null;
  let name = named[1]!.trim();
  if (CONTROL.test(name)) return 'the display name has a control character (a line break?)';
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1);
  if (/["\\]/.test(name)) return 'the display name has a quote or backslash inside';
  if (/[<>]/.test(name)) return 'the display name has an angle bracket (one address only)';
  if (!name.trim()) return 'the display name before <address> is empty';
  if ([...name].length > SENDER_NAME_MAX)
    return `the display name is longer than ${SENDER_NAME_MAX} characters`;
  return null;
}

/** The sender `value` names (which senderProblem passed; else it throws with the reason). */
export function parseSender(value: string): Sender {
  const problem = senderProblem(value);
  if (problem) throw new Error(`not a sender: ${problem}`);
  const named = NAMED.exec(value.trim());
  if (!named) return { name: null, address: value.trim() };
  const name = named[1]!
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim();
  return { name, address: named[2]!.trim() };
}

/**
 * The From header of a sender: the address alone, or its name (quoted where it has specials;
 * RFC 2047 encoded words where it is not ASCII, as SES asks) and the address in angle brackets.
 */
export function fromHeader({ name, address }: Sender): string {
  if (!name) return address;
  if (/^[\x20-\x7e]*$/.test(name)) return `${SPECIALS.test(name) ? `"${name}"` : name} <${address}>`;
  return `${encodedWords(name)} <${address}>`;
}

/** `=?UTF-8?B?…?=` words of at most 75 characters each, never splitting a character. */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    // 45 bytes make 60 of base64: with the 12 of =?UTF-8?B??= a word stays within 75.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}
