// Targets by ticket type over the API: a Cloudomation premium feature request is due in two
// business days; made a bug, the response is due 4 hours from creation, the deadline events
// move with it, and explain names the type whose target applied.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let acme: { id: string; key: string };

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z'); // Monday 09:00 in Vienna
  agent = await h.key('agent');
  acme = await h.customer('cloudomation-premium');
});

describe('targets by ticket type', () => {
  it('applies the category’s target, recomputes it when the category changes, and explains it', async () => {
    const created = await h.call('POST', '/tickets', {
      key: acme.key,
      body: {
        subject: 'Export to CSV',
        description: 'Please add it',
        priority: 'P2',
        category: 'feature-request',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.sla.responseDueAt).toBe('2026-11-24T16:00:00.000Z'); // Tue 17:00 Vienna
    expect(created.body.sla.resolutionDueAt).toBeNull();
    const id = created.body.id;
    const explained = await h.call('GET', `/tickets/${id}/explain`, { key: acme.key });
    expect(explained.body[0]).toMatchObject({
      clock: 'response',
      override: 'feature-request',
      target: 'P2D',
    });

    const changed = await h.call('PATCH', `/tickets/${id}`, { key: agent, body: { category: 'bug' } });
    expect(changed.status).toBe(200);
    expect(changed.body.sla.responseDueAt).toBe('2026-11-23T12:00:00.000Z'); // 4 h from creation
    expect(changed.body.sla.resolutionDueAt).toBe('2026-11-27T16:00:00.000Z');
    const after = await h.call('GET', `/tickets/${id}/explain`, { key: agent });
    expect(after.body[0]).toMatchObject({ override: null, target: 'PT4H' });
    // The deadline events follow: the bug's response warning and breach are scheduled.
    const fired = await h.advance(Date.parse('2026-11-23T12:01:00Z'));
    expect(fired.map((f) => `${f.clock} ${f.kind}`)).toEqual(['response warning', 'response breach']);
  });
});
