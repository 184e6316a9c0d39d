// How text becomes the index's words: split into words (letters and digits of any script),
// lower-cased, and each word reduced to its English, Swedish and German stems (Snowball
// stemmers, @orama/stemmers), since the desk's vendors and their customers write in all
// three. A query word matches a ticket when any of its stems does.
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as swedish } from '@orama/stemmers/swedish';

const WORD = /[\p{L}\p{N}]+/gu;
/** Longer "words" (a hash, base64) are kept whole and not stemmed. */
const STEM_MAX = 40;
const stemmers = [english, swedish, german];

export const wordsOf = (text: string): string[] =>
  text.normalize('NFC').toLocaleLowerCase('en').match(WORD) ?? [];

/** The distinct stems of one lower-case word (itself when it has digits or is long). */
export function stemsOf(word: string): string[] {
  if (word.length > STEM_MAX || /\p{N}/u.test(word)) return [word];
  const stems = new Set<string>();
  for (const stem of stemmers) {
    const s = stem(word);
    if (s) stems.add(s);
  }
  return [...stems];
}
