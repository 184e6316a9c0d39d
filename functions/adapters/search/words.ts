// How text becomes the index's words: split into words (letters and digits of any script),
// lower-cased, and each word reduced to its English, Swedish and German stems (Snowball
// stemmers, @orama/stemmers), since the desk's vendors and their customers write in all
// three. A query word matches a ticket when any of its stems does.
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stopwords as englishStop } from '@orama/stopwords/english';
import { stopwords as germanStop } from '@orama/stopwords/german';
import { stopwords as swedishStop } from '@orama/stopwords/swedish';

const WORD = /[\p{L}\p{N}]+/gu;
/** Longer "words" (a hash, base64) are kept whole and not stemmed. */
const STEM_MAX = 40;
const stemmers = [english, swedish, german];

export const wordsOf = (text: string): string[] =>
  text.normalize('NFC').toLocaleLowerCase('en').match(WORD) ?? [];

/**
 * Words too common to find anything by ("the", "och", "und"): not indexed and not searched.
 * They are most of a text's words, and a search for one would score nearly every ticket.
 */
const STOP = new Set([...englishStop, ...swedishStop, ...germanStop]);
export const isStopWord = (word: string): boolean => STOP.has(word);

/** The words of `text` that find something. */
export const searchableWordsOf = (text: string): string[] => wordsOf(text).filter((w) => !STOP.has(w));

/** Words already stemmed: a desk's vocabulary is small next to its text (cleared when large). */
const known = new Map<string, string[]>();
const KNOWN_MAX = 200_000;

/** The distinct stems of one lower-case word (itself when it has digits or is long). */
export function stemsOf(word: string): string[] {
  if (word.length > STEM_MAX || /\p{N}/u.test(word)) return [word];
  const cached = known.get(word);
  if (cached) return cached;
  const stems = new Set<string>();
  for (const stem of stemmers) {
    const s = stem(word);
    if (s) stems.add(s);
  }
  if (known.size >= KNOWN_MAX) known.clear();
  const found = [...stems];
  known.set(word, found);
  return found;
}
