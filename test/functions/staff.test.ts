// The staff directory through the API: invitations, sign-in links, deactivation that ends
// every session and key at once, keys with owner, expiry, last use and revocation, and who may
// see what.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const asCookie = (cookie: string) => ({
  key: null,
  headers: { cookie: `sla_session=${cookie}`, 'x-requested-with': 'sla-desk' },
});

describe('invitations', () => {
  it('invites by mail; the link finishes the account once and signs in under the person’s name', async () => {
    const invited = await h.call('POST', '/staff', {
      body: { email: 'Nina.Berg@Staff.test', name: 'Nina', role: 'agent', timeZone: 'Europe/Oslo' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      email: 'nina.berg@staff.test',
      status: 'invited',
      lastSignInAt: null,
    });
    expect(invited.body.workingHours.timeZone).toBe('Europe/Oslo');
    const mail = h.outbox.list().find((m) => m.to.includes('nina.berg@staff.test'))!;
    expect(mail.subject).toBe('Admin invited you to the support console');
    const token = /#\/welcome\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const hours = { ...invited.body.workingHours, weekly: { ...invited.body.workingHours.weekly, fri: [] } };
    const finished = await h.call('POST', '/auth/invitations', {
      key: null,
      body: { token, name: 'Nina Berg', workingHours: hours },
    });
    expect(finished.status).toBe(201);
    expect(finished.body).toMatchObject({ role: 'agent', name: 'Nina Berg', staffId: invited.body.id });
    const again = await h.call('POST', '/auth/invitations', {
      key: null,
      body: { token, name: 'X', workingHours: hours },
    });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'link-invalid', details: [{ field: 'token' }] });
    const person = await h.call('GET', `/staff/${invited.body.id}`);
    expect(person.body).toMatchObject({ status: 'active', name: 'Nina Berg' });
    expect(person.body.workingHours.weekly.fri).toEqual([]);
    expect(person.body.lastSignInAt).not.toBeNull();
  });

  it('refuses a customer contact’s address, a repeated address and an unknown team, naming the field', async () => {
    await h.customer('ombori-production', [{ email: 'kim@client.test', name: 'Kim' }]);
    const contact = await h.call('POST', '/staff', {
      body: { email: 'kim@client.test', name: 'Kim', role: 'agent' },
    });
    expect(contact.status).toBe(422);
    expect(contact.body.error).toMatchObject({ code: 'customer-contact', details: [{ field: 'email' }] });
    await h.call('POST', '/staff', { body: { email: 'twice@staff.test', name: 'A', role: 'agent' } });
    const twice = await h.call('POST', '/staff', {
      body: { email: 'TWICE@staff.test', name: 'B', role: 'agent' },
    });
    expect(twice.status).toBe(409);
    const team = await h.call('POST', '/staff', {
      body: { email: 'team@staff.test', name: 'T', role: 'agent', teams: ['TEAM-NOPE'] },
    });
    expect(team.body.error).toMatchObject({ code: 'unknown-team', details: [{ field: 'teams' }] });
    const staffContact = await h.call('POST', '/customers', {
      body: { name: 'X', planId: 'ombori-pilot', contacts: [{ email: 'twice@staff.test', name: 'X' }] },
    });
    expect(staffContact.body.error).toMatchObject({
      code: 'staff-address',
      details: [{ field: 'contacts.0.email' }],
    });
  });

  it('takes names at the limit with the worst characters, and refuses one over', async () => {
    const name = '\u{1F600}'.repeat(200); // 200 characters, 400 UTF-16 units
    const ok = await h.call('POST', '/staff', { body: { email: 'emoji@staff.test', name, role: 'agent' } });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe(name);
    const over = await h.call('POST', '/staff', {
      body: { email: 'over@staff.test', name: `${name}x`, role: 'agent' },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.details[0].field).toBe('name');
  });
});

describe('signing in by link', () => {
  it('mails an active staff member a console link, and gives the same answer for any address', async () => {
    const ann = await h.person('agent', 'Ann Link');
    const known = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: ann.email },
      sourceIp: '10.9.0.1',
    });
    const unknown = await h.call('POST', '/auth/links', {
      key: null,
      body: { email: 'nobody@staff.test' },
      sourceIp: '10.9.0.2',
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body.message.replace(ann.email, 'X')).toBe(
      unknown.body.message.replace('nobody@staff.test', 'X'),
    );
    const mail = h.outbox
      .list()
      .filter((m) => m.to.includes(ann.email))
      .at(-1)!;
    expect(mail.subject).toBe('Your sign-in link to the support console');
    const token = /#\/signin\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const opened = await h.call('POST', '/auth/sessions', { key: null, body: { token } });
    expect(opened.body).toMatchObject({ role: 'agent', name: 'Ann Link', staffId: ann.id });
  });
});

describe('deactivation', () => {
  it('ends every session and key of the person at once, keeps their name on the timeline, and keeps the last admin', async () => {
    const bob = await h.person('agent', 'Bob Leaving');
    const customer = await h.customer('ombori-production');
    const ticket = await h.call('POST', '/tickets', {
      key: customer.key,
      body: { subject: 's', description: 'd', priority: 'P3' },
    });
    await h.call('POST', `/tickets/${ticket.body.id}/messages`, { key: bob.key, body: { body: 'On it.' } });
    const before = await h.call('GET', `/staff/${bob.id}`);
    const off = await h.call('PATCH', `/staff/${bob.id}`, {
      body: { status: 'deactivated' },
      headers: { 'if-match': `"${before.body.version}"` },
    });
    expect(off.body.status).toBe('deactivated');
    expect((await h.call('GET', '/tickets', { key: bob.key })).status).toBe(401);
    expect((await h.call('GET', '/auth/session', asCookie(bob.cookie))).status).toBe(401);
    expect((await h.call('GET', `/staff/${bob.id}/sessions`)).body.items).toEqual([]);
    const keys = (await h.call('GET', '/api-keys')).body.items.filter(
      (k: { owner: { staffId?: string } }) => k.owner?.staffId === bob.id,
    );
    expect(keys.every((k: { revokedAt: string | null }) => k.revokedAt !== null)).toBe(true);
    const shown = await h.call('GET', `/tickets/${ticket.body.id}`, { key: customer.key });
    expect(shown.body.timeline.find((e: { type: string }) => e.type === 'message').actor).toEqual({
      role: 'agent',
      name: 'Bob Leaving',
      staffId: bob.id,
    });
    const assign = await h.call('PATCH', `/tickets/${ticket.body.id}`, { body: { assigneeId: bob.id } });
    expect(assign.body.error).toMatchObject({ code: 'unknown-staff', details: [{ field: 'assigneeId' }] });
    // The only active admin cannot be demoted or deactivated.
    const admins = (await h.call('GET', '/staff')).body.items.filter(
      (p: { role: string; status: string }) => p.role === 'admin' && p.status === 'active',
    );
    expect(admins).toHaveLength(1);
    const last = await h.call('PATCH', `/staff/${admins[0].id}`, { body: { role: 'agent' } });
    expect(last.body.error).toMatchObject({ code: 'last-admin', details: [{ field: 'role' }] });
    const stale = await h.call('PATCH', `/staff/${bob.id}`, {
      body: { name: 'B' },
      headers: { 'if-match': `"${before.body.version}"` },
    });
    expect(stale.status).toBe(409);
  });
});

describe('API keys', () => {
  it('have an owner, a last use, an optional expiry, are revoked at once and never shown again', async () => {
    const made = await h.call('POST', '/api-keys', {
      body: {
        role: 'agent',
        name: 'Zapier',
        owner: { integration: 'Zapier' },
        expiresAt: '2026-11-24T08:00:00Z',
      },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      owner: { integration: 'Zapier' },
      expiresAt: '2026-11-24T08:00:00.000Z',
      lastUsedAt: null,
    });
    expect((await h.call('GET', '/tickets', { key: made.body.key })).status).toBe(200);
    const listed = (await h.call('GET', '/api-keys')).body.items.find(
      (k: { id: string }) => k.id === made.body.id,
    );
    expect(listed.lastUsedAt).toBe(new Date(h.clock.now()).toISOString());
    expect(JSON.stringify((await h.call('GET', '/api-keys')).body)).not.toContain(made.body.key);
    expect(listed).not.toHaveProperty('key');
    const past = await h.call('POST', '/api-keys', {
      body: { role: 'agent', name: 'x', expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.body.error).toMatchObject({ code: 'expiry-past', details: [{ field: 'expiresAt' }] });
    const revoked = await h.call('POST', `/api-keys/${made.body.id}/revoke`);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await h.call('GET', '/tickets', { key: made.body.key })).status).toBe(401);
    expect((await h.call('POST', `/api-keys/${made.body.id}/revoke`)).status).toBe(422);
  });

  it('stop at their expiry by the desk’s clock', async () => {
    const made = await h.call('POST', '/api-keys', {
      body: { role: 'agent', name: 'short', expiresAt: new Date(h.clock.now() + 60_000).toISOString() },
    });
    expect((await h.call('GET', '/plans', { key: made.body.key })).status).toBe(200);
    h.clock.set(h.clock.now() + 120_000);
    await new Promise((r) => setTimeout(r, 10_100)); // past the 10 s key cache
    expect((await h.call('GET', '/plans', { key: made.body.key })).status).toBe(401);
  }, 20_000);

  it('let an agent make and revoke keys of their own only, and see no one else’s keys or sessions', async () => {
    const ann = await h.person('agent', 'Ann Keys');
    const carl = await h.person('agent', 'Carl Keys');
    const own = await h.call('POST', '/api-keys', {
      key: ann.key,
      body: { role: 'agent', name: 'my laptop' },
    });
    expect(own.body.owner).toEqual({ staffId: ann.id, name: 'Ann Keys' });
    expect(
      (await h.call('POST', '/api-keys', { key: ann.key, body: { role: 'admin', name: 'x' } })).status,
    ).toBe(403);
    const mine = (await h.call('GET', '/api-keys', { key: ann.key })).body.items;
    expect(mine.every((k: { owner: { staffId: string } }) => k.owner.staffId === ann.id)).toBe(true);
    const carlsKey = (await h.call('GET', '/api-keys')).body.items.find(
      (k: { owner: { staffId?: string } }) => k.owner?.staffId === carl.id,
    );
    expect((await h.call('POST', `/api-keys/${carlsKey.id}/revoke`, { key: ann.key })).status).toBe(404);
    expect((await h.call('GET', `/staff/${carl.id}/sessions`, { key: ann.key })).status).toBe(403);
    const annSessions = await h.call('GET', `/staff/${ann.id}/sessions`, { key: ann.key });
    expect(annSessions.body.items).toHaveLength(1);
    const end = await h.call('DELETE', `/staff/${ann.id}/sessions/${annSessions.body.items[0].id}`, {
      key: ann.key,
    });
    expect(end.body).toEqual({ ended: true });
    expect((await h.call('GET', '/auth/session', asCookie(ann.cookie))).status).toBe(401);
    // The directory's names are everyone's to read (assignment); changing another person is an admin's.
    expect(
      (await h.call('GET', '/staff', { key: ann.key })).body.items.some(
        (p: { id: string }) => p.id === carl.id,
      ),
    ).toBe(true);
    expect((await h.call('PATCH', `/staff/${carl.id}`, { key: ann.key, body: { name: 'X' } })).status).toBe(
      403,
    );
    expect(
      (await h.call('PATCH', `/staff/${ann.id}`, { key: ann.key, body: { role: 'admin' } })).status,
    ).toBe(403);
    expect(
      (await h.call('PATCH', `/staff/${ann.id}`, { key: ann.key, body: { name: 'Ann K.' } })).body.name,
    ).toBe('Ann K.');
    expect((await h.call('GET', '/staff/me', { key: ann.key })).body.id).toBe(ann.id);
  });
});

describe('teams', () => {
  it('are made by admins, unique by name, and a ticket is given to one', async () => {
    const l2 = await h.call('POST', '/teams', { body: { name: 'Level 2' } });
    expect(l2.status).toBe(201);
    expect((await h.call('POST', '/teams', { body: { name: 'level 2' } })).status).toBe(409);
    const customer = await h.customer('ombori-production');
    const ticket = await h.call('POST', '/tickets', {
      key: customer.key,
      body: { subject: 's', description: 'd', priority: 'P3' },
    });
    const given = await h.call('PATCH', `/tickets/${ticket.body.id}`, { body: { teamId: l2.body.id } });
    expect(given.body.teamId).toBe(l2.body.id);
    expect(given.body.timeline.at(-1)).toMatchObject({ type: 'team', to: l2.body.id, toName: 'Level 2' });
    const seen = await h.call('GET', `/tickets/${ticket.body.id}`, { key: customer.key });
    expect(JSON.stringify(seen.body)).not.toContain('Level 2');
    expect(
      (await h.call('GET', `/tickets?teamId=${l2.body.id}`)).body.items.map((t: { id: string }) => t.id),
    ).toEqual([ticket.body.id]);
  });
});
