// Proactive learning suggestions from the seed's words: "find areas to limit the amount of
// tickets (for example by educate staff, change hardware or update a solution)".
import { describe, expect, it } from 'vitest';
import { learningSuggestions, type TicketFacts } from '../../domain/insights';

const ticket = (monthsAgo: number, facts: Partial<TicketFacts> = {}): TicketFacts => ({
  monthsAgo,
  category: null,
  component: null,
  device: null,
  breached: false,
  ...facts,
});
const times = (n: number, make: () => TicketFacts) => Array.from({ length: n }, make);

describe('learning suggestions', () => {
  it('words each pattern as a suggestion against the previous three months', () => {
    const facts = [
      ...times(5, () => ticket(0, { category: 'configuration-error' })),
      ticket(0, { category: 'configuration-error', breached: true }),
      ticket(0, { category: 'configuration-error', breached: true }),
      ...times(4, () => ticket(2, { category: 'configuration-error' })),
      ...times(3, () => ticket(0, { device: 'Kiosk 12' })),
      ...times(9, () => ticket(1, { device: 'Kiosk 12' })),
      ...times(2, () => ticket(0, { component: 'Payments' })),
      ...times(6, () => ticket(3, { component: 'payments' })),
    ];
    expect(learningSuggestions(facts).map((s) => s.text)).toEqual([
      '7 tickets were configuration errors (up from 1.3 a month in the previous three months, 2 of them with a missed deadline): training the staff who change the configuration may prevent most of these.',
      'Component “Payments” had 2 tickets (about as many as the previous three months (2 a month)): reviewing or updating it may prevent more.',
      'Device “Kiosk 12” had 3 tickets (about as many as the previous three months (3 a month)): checking or replacing its hardware may prevent more.',
    ]);
  });

  it.each([
    // [this month, the three before in all, trend]
    [4, 0, 'new', 'none in the previous three months'],
    [3, 6, 'up', 'up from 2 a month'],
    [2, 9, 'down', 'down from 3 a month'],
    [4, 10, 'same', 'about as many as the previous three months (3.3 a month)'],
  ] as const)('%i tickets against %i before is %s', (now, before, trend, words) => {
    const facts = [
      ...times(now, () => ticket(0, { category: 'bug' })),
      ...times(before, () => ticket(1, { category: 'bug' })),
    ];
    const [suggestion] = learningSuggestions(facts);
    expect(suggestion?.trend).toBe(trend);
    expect(suggestion?.text).toContain(words);
    expect(suggestion?.text).toContain('updating to the newest version repairs known bugs');
  });

  it('needs two tickets this month, ignores months outside the window, keeps three of each, most first', () => {
    const facts = [
      ticket(0, { device: 'lonely' }),
      ...times(9, () => ticket(4, { device: 'old' })),
      ...times(2, () => ticket(-1, { device: 'future' })),
      ...['a', 'b', 'c', 'd'].flatMap((d, i) => times(2 + i, () => ticket(0, { device: d }))),
      ...times(5, () => ticket(0, { device: 'e', breached: false })),
      ...times(5, () => ticket(0, { device: 'f', breached: true })),
    ];
    expect(learningSuggestions(facts).map((s) => [s.value, s.tickets, s.breached])).toEqual([
      ['f', 5, 5],
      ['d', 5, 0],
      ['e', 5, 0],
    ]);
  });

  it('counts spellings that differ in case, width and spacing as one, named as this month writes it most', () => {
    const facts = [
      ticket(0, { component: 'Ｓｃａｎｎｅｒ  API' }),
      ticket(0, { component: 'scanner api' }),
      ticket(0, { component: 'Scanner API ' }),
      ticket(0, { component: 'Scanner API ' }),
      ticket(1, { component: 'SCANNER API' }),
    ];
    const [suggestion] = learningSuggestions(facts);
    expect(suggestion).toMatchObject({ value: 'Scanner API ', tickets: 4, previousMonthly: 0.3 });
  });

  it('says nothing where nothing repeats, and skips blank labels', () => {
    expect(learningSuggestions([])).toEqual([]);
    expect(
      learningSuggestions([
        ticket(0, { category: 'bug' }),
        ticket(0, { device: ' ' }),
        ticket(0, { device: ' ' }),
      ]),
    ).toEqual([]);
  });
});

describe('tags as topics', () => {
  it('names a tag used on two tickets this month, each ticket counted once per tag, against before', () => {
    const tagged = (monthsAgo: number, tags: string[], breached = false) =>
      ({ monthsAgo, category: null, component: null, device: null, tags, breached }) as const;
    const suggestions = learningSuggestions([
      tagged(0, ['kiosk-reboot', 'kiosk-reboot']),
      tagged(0, ['kiosk-reboot', 'vip'], true),
      tagged(0, ['vip']),
      tagged(2, ['kiosk-reboot']),
      tagged(0, ['once']),
    ]).filter((s) => s.dimension === 'tag');
    expect(suggestions.map((s) => [s.value, s.tickets, s.breached])).toEqual([
      ['kiosk-reboot', 2, 1],
      ['vip', 2, 1],
    ]);
    expect(suggestions[0]!.text).toBe(
      '2 tickets were about “kiosk-reboot” (up from 0.3 a month in the previous three months, 1 of them with a missed deadline): we can look at the cause with you.',
    );
  });
});
