// The ticket search index in memory: MiniSearch (BM25 ranking, prefix and fuzzy matching, a
// few dozen KB, no native parts, so it runs in the API's own Lambda) over the words of
// words.ts, and the list rows beside it for the views' filters, counts and sorts
// (domain/views.ts). Saved whole as JSON (toJSON / fromJSON) by blob-search.ts.
import MiniSearch, { type AsPlainObject } from 'minisearch';
import {
  comparePositions,
  inView,
  type ListedTicket,
  positionOf,
  type Sort,
  type Viewer,
  type ViewFilter,
} from '../../../domain/views';
import type { SearchDocument, TicketSearchHit, TicketSearchQuery } from '../../ports';
import { BadCursor } from '../aws/dynamodb';
import { isStopWord, searchableWordsOf, stemsOf, wordsOf } from './words';

const FIELDS = ['ref', 'subject', 'text', 'internalText', 'people', 'tags'] as const;
type Field = (typeof FIELDS)[number];
/** What a customer's search looks in: nothing staff-only (internal notes, tags). */
const CUSTOMER_FIELDS: Field[] = ['ref', 'subject', 'text', 'people'];
const BOOST: Partial<Record<Field, number>> = { ref: 3, subject: 3, people: 2, tags: 2 };
/** Words in one query; more are ignored (a pasted paragraph is not a search). */
const MAX_QUERY_WORDS = 12;
/** Fewer hits than this by the words' stems: words that begin with them are searched too. */
const FEW = 10;

type Indexed = Record<Field, string> & { id: string };

const indexed = (d: SearchDocument): Indexed => ({
  id: d.id,
  ref: d.id,
  subject: d.subject,
  // The description and the public messages: one field, so that a word is looked up once.
  text: [d.description, ...d.publicText].join('\n'),
  internalText: d.internalText.join('\n'),
  people: `${d.requesterName} ${d.requesterEmail} ${d.customerName}`,
  tags: d.tags.join(' '),
});

/** A ticket id as its terms: whole, and its part after the prefix every id shares (`TKT-`). */
const refTerms = (id: string) => {
  const whole = id.toLocaleLowerCase('en');
  return [whole, whole.replace(/^[a-z]+-/u, '')];
};
/** The prefix of every id: a word of it alone would find every ticket. */
const ID_PREFIX = /^[a-z]{3}$/u;

const OPTIONS = {
  fields: [...FIELDS],
  tokenize: (text: string, field?: string) => (field === 'ref' ? refTerms(text) : searchableWordsOf(text)),
  processTerm: (term: string, field?: string) => (field === 'ref' ? term : stemsOf(term)),
  autoVacuum: { minDirtCount: 1000, minDirtFactor: 0.1, batchSize: 1000, batchWait: 10 },
};

const row = ({
  description: _d,
  publicText: _p,
  internalText: _i,
  ...listed
}: SearchDocument): ListedTicket => listed;

type Position = [string | number | null, string];
const RELEVANCE: Sort = { field: 'due', direction: 'desc' };

const encode = (p: Position) => Buffer.from(JSON.stringify(p)).toString('base64url');
/** A search's cursor, back to the position it holds; anything else is a BadCursor. */
function decode(after: string | undefined): Position | null {
  if (!after) return null;
  let p: unknown;
  try {
    p = JSON.parse(Buffer.from(after, 'base64url').toString());
  } catch {
    throw new BadCursor();
  }
  const value = Array.isArray(p) ? p[0] : undefined;
  if (!Array.isArray(p) || p.length !== 2 || typeof p[1] !== 'string') throw new BadCursor();
  if (!(value === null || typeof value === 'string' || Number.isFinite(value))) throw new BadCursor();
  return p as Position;
}

/**
 * One page of a list in one pass: the `limit` first tickets after the cursor's position in
 * `sort`'s order, kept sorted as they are offered (a page is small; a list may be every ticket,
 * so it is never sorted whole), and how many there are in all.
 */
class Page {
  private readonly kept: { ticket: ListedTicket; terms: string[]; position: Position }[] = [];
  private total = 0;
  private beyond = 0;

  constructor(
    private readonly sort: Sort,
    private readonly after: Position | null,
    private readonly limit: number,
  ) {}

  offer(ticket: ListedTicket, terms: string[], position: Position): void {
    this.total++;
    if (this.after && comparePositions(position, this.after, this.sort) <= 0) return;
    const kept = this.kept;
    if (kept.length === this.limit) {
      this.beyond++;
      if (comparePositions(position, kept[kept.length - 1]!.position, this.sort) >= 0) return;
      kept.pop();
    }
    let i = kept.length;
    while (i > 0 && comparePositions(position, kept[i - 1]!.position, this.sort) < 0) i--;
    kept.splice(i, 0, { ticket, terms, position });
  }

  result(): { items: TicketSearchHit[]; total: number; after: string | null } {
    const last = this.kept.at(-1);
    return {
      items: this.kept.map(({ ticket, terms }) => ({ ticket, terms })),
      total: this.total,
      after: last && this.beyond > 0 ? encode(last.position) : null,
    };
  }
}

export class TicketIndex {
  private readonly rows = new Map<string, ListedTicket>();
  private readonly tagCounts = new Map<string, number>();

  private constructor(private readonly index: MiniSearch<Indexed>) {}

  static empty(): TicketIndex {
    return new TicketIndex(new MiniSearch<Indexed>(OPTIONS));
  }

  static fromJSON(saved: { rows: ListedTicket[]; index: AsPlainObject }): TicketIndex {
    const index = new TicketIndex(MiniSearch.loadJS<Indexed>(saved.index, OPTIONS));
    for (const r of saved.rows) index.keep(r);
    return index;
  }

  toJSON(): { rows: ListedTicket[]; index: AsPlainObject } {
    return { rows: [...this.rows.values()], index: this.index.toJSON() };
  }

  get size(): number {
    return this.rows.size;
  }

  put(documents: SearchDocument[]): void {
    for (const d of documents) {
      const held = this.rows.get(d.id);
      if (held && held.version > d.version) continue;
      if (held) {
        this.index.discard(d.id);
        this.countTags(held.tags, -1);
      }
      this.index.add(indexed(d));
      this.keep(row(d));
    }
  }

  private keep(r: ListedTicket): void {
    this.rows.set(r.id, r);
    this.countTags(r.tags, 1);
  }

  private countTags(tags: string[], step: number): void {
    for (const tag of tags) {
      const n = (this.tagCounts.get(tag) ?? 0) + step;
      if (n > 0) this.tagCounts.set(tag, n);
      else this.tagCounts.delete(tag);
    }
  }

  search(query: TicketSearchQuery): { items: TicketSearchHit[]; total: number; after: string | null } {
    const visible = (t: ListedTicket) =>
      (!query.customerId || t.customerId === query.customerId) && inView(t, query.filter, query.viewer);
    const asked = wordsOf(query.text ?? '');
    const words = asked
      .filter(
        (w, i) => !isStopWord(w) && !(ID_PREFIX.test(w) && asked[i + 1] && /\p{N}/u.test(asked[i + 1]!)),
      )
      .slice(0, MAX_QUERY_WORDS);
    // Only words too common to search by ("the and"): nothing is found by them.
    if (asked.length && !words.length) return { items: [], total: 0, after: null };
    let sort = query.sort ?? RELEVANCE;
    if (words.length) {
      // The words' stems first; where they find few tickets, words that begin so (a word cut
      // short: "invo"); where those find none, words a typo away. Prefix and typo matching is
      // what makes a search costly, so a search pays for it only when it needs it.
      const run = (loose: 'exact' | 'prefix' | 'fuzzy') =>
        this.index.search(
          {
            combineWith: 'AND',
            queries: words.map((w) => ({
              combineWith: 'OR',
              queries: [...new Set([w, ...stemsOf(w)])],
              prefix: loose !== 'exact' && w.length >= 2,
              // One edit (a letter missing, added or wrong) from four letters, two from eight.
              fuzzy: loose !== 'fuzzy' || w.length < 4 ? false : w.length < 8 ? 1 : 2,
            })),
          },
          {
            fields: query.customerId ? CUSTOMER_FIELDS : [...FIELDS],
            boost: BOOST,
            tokenize: (t) => [t],
            processTerm: (t) => t,
            // The filter as a document boost of 0: a ticket outside it is skipped before it is
            // scored (a view's or a customer's search costs what its own tickets cost).
            boostDocument: (id: string) => {
              const t = this.rows.get(id);
              return t !== undefined && visible(t) ? 1 : 0;
            },
          },
        );
      let results = run('exact');
      if (results.length < FEW) results = run('prefix');
      if (!results.length) results = run('fuzzy');
      const page = new Page(sort, decode(query.after), query.limit);
      for (const r of results) {
        const ticket = this.rows.get(r.id)!;
        page.offer(ticket, r.terms, query.sort ? positionOf(ticket, query.sort) : [r.score, ticket.id]);
      }
      return page.result();
    }
    sort = query.sort ?? { field: 'updated', direction: 'desc' };
    const page = new Page(sort, decode(query.after), query.limit);
    for (const ticket of this.rows.values())
      if (visible(ticket)) page.offer(ticket, [], positionOf(ticket, sort));
    return page.result();
  }

  count(filters: ViewFilter[], viewer: Viewer): number[] {
    const counts = filters.map(() => 0);
    for (const t of this.rows.values())
      filters.forEach((f, i) => {
        if (inView(t, f, viewer)) counts[i]!++;
      });
    return counts;
  }

  tags(prefix: string, limit: number): { tag: string; count: number }[] {
    const p = prefix.toLocaleLowerCase('en');
    return [...this.tagCounts]
      .filter(([tag]) => tag.startsWith(p))
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, limit)
      .map(([tag, count]) => ({ tag, count }));
  }
}
