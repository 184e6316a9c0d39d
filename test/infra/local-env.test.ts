// `npm start`'s environment: a bad value stops the start with its name, before anything runs.
import { describe, expect, it } from 'vitest';
import { readLocalEnv } from '../../infra/local/env';

describe('ADMIN_API_KEY', () => {
  it.each([
    ['white space inside', 'local admin key 123'],
    ['a tab', 'local-admin-key\t123'],
    ['over 200 characters', 'k'.repeat(201)],
    ['under 16 characters', 'short-key'],
  ])('refuses a key a client could not send: %s', (_why, key) => {
    const read = readLocalEnv({ ADMIN_API_KEY: key });
    expect('problems' in read && read.problems[0]).toMatch(/^ADMIN_API_KEY: /);
  });

  it('accepts keys the bearer parser accepts, 16 to 200 characters', () => {
    for (const key of ['local-admin-key-123', 'k'.repeat(200), 'sla_AbC-_.~+/=!%']) {
      expect(readLocalEnv({ ADMIN_API_KEY: key })).toMatchObject({ env: { ADMIN_API_KEY: key } });
    }
  });
});
