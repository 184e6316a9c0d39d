// Past the holidays the desk knows (2050, domain/holidays.ts), a deadline is not counted as if
// there were none: the request answers the documented 503, never a due time that ignores them.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let pilot: { id: string; key: string };

beforeAll(async () => {
  h = await harness('2050-12-27T08:00:00Z'); // Tue 27 Dec 2050, 09:00 in Stockholm
  pilot = await h.customer('ombori-pilot');
});

describe('the end of the holiday data', () => {
  it('answers 503 for a ticket whose deadline falls in 2051, and files one due within 2050', async () => {
    const open = (priority: string) =>
      h.call('POST', '/tickets', {
        key: pilot.key,
        body: { subject: `A ${priority}`, description: 'd', priority, channel: 'form' },
      });
    const p1 = await open('P1');
    expect(p1.status).toBe(201);
    expect(p1.body.sla.responseDueAt).toBe('2050-12-27T12:00:00.000Z');
    const p4 = await open('P4'); // five business days: into January 2051
    expect(p4.status).toBe(503);
    expect(p4.body.error).toMatchObject({
      code: 'holiday-data-outdated',
      message: expect.stringContaining('npm run build:holidays'),
    });
    // Nothing half-made: the customer has the P1 alone.
    const listed = await h.call('GET', '/tickets', { key: pilot.key });
    expect(listed.body.items.map((t: { subject: string }) => t.subject)).toEqual(['A P1']);
  });
});
