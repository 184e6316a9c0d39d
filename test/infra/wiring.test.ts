// Adapters only some functions carry are added by their entry (wiring.ts addAdapters), so each
// entry must add what its code uses: here each is loaded alone, as its Lambda would, and its
// AWS wiring checked for the extra adapters it needs (and, for the SLA path, carries none).
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Extra = (typeof EXTRAS)[number];
const EXTRAS = [
  'integrations',
  'jobs',
  'secrets',
  'shared',
  'partners',
  'chat',
  'inbound',
  'incidents',
  'reports',
  'reportQueue',
  'search',
] as const;

const NEEDS: Record<string, Extra[]> = {
  'functions/http/entries/tickets.ts': [],
  'functions/http/entries/directory.ts': ['shared', 'partners'],
  'functions/http/entries/integrations.ts': ['jobs', 'secrets', 'incidents'],
  'functions/http/entries/operations.ts': ['inbound', 'incidents', 'reports', 'reportQueue'],
  'functions/http/entries/auth.ts': ['secrets'],
  'functions/http/entries/staff.ts': [],
  'functions/http/entries/files.ts': [],
  'functions/http/entries/plans.ts': [],
  'functions/inbound-mail/handler.ts': ['inbound'],
  'functions/reports/handler.ts': ['incidents', 'reports', 'reportQueue'],
  'functions/escalation/sweeper.ts': [],
  'functions/http/entries/connections.ts': ['integrations', 'jobs'],
  'functions/integrations/worker.ts': ['integrations', 'secrets', 'chat'],
  'functions/integrations/stream.ts': ['integrations', 'jobs'],
  'functions/escalation/handler.ts': [],
  'functions/http/entries/search.ts': ['search'],
  'functions/http/entries/workbench.ts': [],
  'functions/search/indexer.ts': ['search'],
};

beforeEach(() => {
  vi.resetModules();
});

describe('each function’s wiring', () => {
  it.each(Object.entries(NEEDS))('%s carries what it uses', async (entry, needs) => {
    await import(`../../${entry}`);
    const { buildAwsDeps, isAbsent } = await import('../../functions/wiring');
    const deps = buildAwsDeps() as unknown as Record<Extra, object>;
    const carried = EXTRAS.filter((extra) => !isAbsent(deps[extra]));
    expect(carried.sort()).toEqual([...needs].sort());
  });
});
