// Proactive learning suggestions (Ombori Production and Enterprise: "we will help you analyze
// the reports and data to find areas to limit the amount of tickets (for example by educate
// staff, change hardware or update a solution)"). The monthly report names the categories,
// components, devices and tags with the most tickets this month, with their breaches, against
// the previous three months, and words each as a suggestion. Tags are the desk's own words for
// what tickets are about: named here as topics, the report is where a customer reads them.
import type { Category } from './ticket';

/** Characters of a ticket's component or device, at most. */
export const LABEL_MAX = 100;
/** Entries per dimension, at most. */
export const TOP = 3;
/** Tickets in the month before something is a pattern worth a suggestion. */
export const MIN_TICKETS = 2;
/** Previous months compared against. */
export const PREVIOUS_MONTHS = 3;

export type Dimension = 'category' | 'component' | 'device' | 'tag';

/** One ticket as the suggestions count it: which month it was opened in (0 this one, 1-3 before). */
export interface TicketFacts {
  monthsAgo: number;
  category: Category | null;
  component: string | null;
  device: string | null;
  /** Its tags (older facts have none). */
  tags?: readonly string[];
  /** Whether any of its deadlines was breached. */
  breached: boolean;
}

export interface Suggestion {
  dimension: Dimension;
  value: string;
  tickets: number;
  breached: number;
  /** Tickets a month, on average, over the previous three months (one decimal). */
  previousMonthly: number;
  trend: 'new' | 'up' | 'same' | 'down';
  text: string;
}

// What tends to prevent each kind of ticket: the seed's own examples (educate staff, change
// hardware, update a solution) and Atollon's (bugs are repaired by updating to the newest version).
const CATEGORY_ADVICE: Record<Category, { words: string; advice: string }> = {
  bug: {
    words: 'bug reports',
    advice: 'updating to the newest version repairs known bugs; ask us which of these an update fixes',
  },
  'configuration-error': {
    words: 'configuration errors',
    advice: 'training the staff who change the configuration may prevent most of these',
  },
  advice: {
    words: 'questions asking for advice',
    advice: 'a short guide or training for your staff may answer these before they are asked',
  },
  'configuration-request': {
    words: 'configuration requests',
    advice: 'collecting these changes into fewer, planned requests saves time on both sides',
  },
  'feature-request': {
    words: 'feature requests',
    advice: 'we can go through them with you against the roadmap',
  },
};

/** The key two spellings of one component or device share: NFKC, one space, lower case. */
export function labelKey(label: string): string {
  return label.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

function trendOf(tickets: number, previousMonthly: number): Suggestion['trend'] {
  if (previousMonthly === 0) return 'new';
  if (tickets >= previousMonthly * 1.5) return 'up';
  if (tickets <= previousMonthly / 1.5) return 'down';
  return 'same';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function comparison(trend: Suggestion['trend'], previousMonthly: number): string {
  const monthly = `${previousMonthly.toLocaleString('en', { maximumFractionDigits: 1 })} a month`;
  if (trend === 'new') return 'none in the previous three months';
  if (trend === 'up') return `up from ${monthly} in the previous three months`;
  if (trend === 'down') return `down from ${monthly} in the previous three months`;
  return `about as many as the previous three months (${monthly})`;
}

function wording(dimension: Dimension, value: string, tickets: number, breached: number, compared: string) {
  const breaches = breached ? `, ${breached} of them with a missed deadline` : '';
  if (dimension === 'category') {
    const { words, advice } = CATEGORY_ADVICE[value as Category];
    return `${plural(tickets, 'ticket')} were ${words} (${compared}${breaches}): ${advice}.`;
  }
  if (dimension === 'tag')
    return `${plural(tickets, 'ticket')} were about “${value}” (${compared}${breaches}): we can look at the cause with you.`;
  const advice =
    dimension === 'device'
      ? `checking or replacing its hardware may prevent more`
      : `reviewing or updating it may prevent more`;
  return `${dimension === 'device' ? 'Device' : 'Component'} “${value}” had ${plural(tickets, 'ticket')} (${compared}${breaches}): ${advice}.`;
}

/**
 * The suggestions of a month: per dimension, the values with at least MIN_TICKETS tickets
 * this month, most tickets first (then most breaches, then by name), at most TOP of each.
 * Spellings of a component or device that differ in case or spacing count as one; the one
 * shown is this month's most used.
 */
export function learningSuggestions(facts: readonly TicketFacts[]): Suggestion[] {
  const out: Suggestion[] = [];
  const valuesOf = (f: TicketFacts, dimension: Dimension): readonly string[] => {
    if (dimension === 'tag') return f.tags ?? [];
    const value = f[dimension];
    return value === null ? [] : [value];
  };
  for (const dimension of ['category', 'component', 'device', 'tag'] as const) {
    const groups = new Map<
      string,
      { tickets: number; breached: number; previous: number; spellings: Map<string, number> }
    >();
    for (const f of facts) {
      if (f.monthsAgo < 0 || f.monthsAgo > PREVIOUS_MONTHS) continue;
      for (const value of new Set(valuesOf(f, dimension))) {
        const key = labelKey(value);
        if (!key) continue;
        const group = groups.get(key) ?? { tickets: 0, breached: 0, previous: 0, spellings: new Map() };
        groups.set(key, group);
        if (f.monthsAgo > 0) {
          group.previous++;
          continue;
        }
        group.tickets++;
        if (f.breached) group.breached++;
        group.spellings.set(value, (group.spellings.get(value) ?? 0) + 1);
      }
    }
    const ranked = [...groups.values()]
      .filter((g) => g.tickets >= MIN_TICKETS)
      .map((g) => ({
        ...g,
        value: [...g.spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0],
      }))
      .sort((a, b) => b.tickets - a.tickets || b.breached - a.breached || a.value.localeCompare(b.value))
      .slice(0, TOP);
    for (const g of ranked) {
      const previousMonthly = Math.round((g.previous / PREVIOUS_MONTHS) * 10) / 10;
      const trend = trendOf(g.tickets, g.previous / PREVIOUS_MONTHS);
      out.push({
        dimension,
        value: g.value,
        tickets: g.tickets,
        breached: g.breached,
        previousMonthly,
        trend,
        text: wording(dimension, g.value, g.tickets, g.breached, comparison(trend, previousMonthly)),
      });
    }
  }
  return out;
}
