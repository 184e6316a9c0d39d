// Who else is on a ticket: fresh presences only, the latest per person, writers first, never me.
import { describe, expect, it } from 'vitest';
import { othersPresent, PRESENCE_SECONDS } from '../../domain/presence';

const T = Date.parse('2026-12-07T10:00:00Z');

describe('othersPresent', () => {
  it('keeps fresh presences of others, the latest per person, writers first then by name', () => {
    const shown = othersPresent(
      [
        { staffId: 'me', name: 'Me', state: 'writing', at: T },
        { staffId: 'b', name: 'Bea', state: 'viewing', at: T - 5_000 },
        { staffId: 'a', name: 'Ari', state: 'viewing', at: T - 1_000 },
        { staffId: 'c', name: 'Cal', state: 'viewing', at: T - 30_000 },
        { staffId: 'c', name: 'Cal', state: 'writing', at: T - 2_000 },
        { staffId: 'old', name: 'Old', state: 'writing', at: T - PRESENCE_SECONDS * 1000 - 1 },
      ],
      'me',
      T,
    );
    expect(shown.map((p) => [p.name, p.state])).toEqual([
      ['Cal', 'writing'],
      ['Ari', 'viewing'],
      ['Bea', 'viewing'],
    ]);
  });

  it('keeps one exactly PRESENCE_SECONDS old, and refuses one from the future', () => {
    const edge = othersPresent(
      [
        { staffId: 'a', name: 'A', state: 'viewing', at: T - PRESENCE_SECONDS * 1000 },
        { staffId: 'f', name: 'F', state: 'viewing', at: T + 120_000 },
      ],
      null,
      T,
    );
    expect(edge.map((p) => p.staffId)).toEqual(['a']);
  });
});
