// The search index in the blob store: one writer's segments and snapshots, read by another
// instance (another Lambda) within its refresh, compaction that leaves nothing behind, and a
// newer document never replaced by an older one.
import { describe, expect, it } from 'vitest';
import type { ListedTicket } from '../../domain/views';
import { LocalBlobStore } from '../../functions/adapters/local/blobs';
import { BlobSearch } from '../../functions/adapters/search/blob-search';
import type { SearchDocument } from '../../functions/ports';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const doc = (id: string, words: string, version = 1, over: Partial<ListedTicket> = {}): SearchDocument => ({
  id,
  customerId: 'CUS-1',
  customerName: 'Acme',
  requesterEmail: 'ann@acme.test',
  requesterName: 'Ann',
  subject: words,
  status: 'open',
  priority: 'P3',
  category: null,
  tags: [],
  assigneeId: null,
  assigneeName: null,
  teamId: null,
  planId: 'p',
  createdAt: NOW,
  updatedAt: NOW,
  nextClock: null,
  nextWarningAt: null,
  nextDueAt: null,
  breached: false,
  resolvedAt: null,
  version,
  description: '',
  publicText: [],
  internalText: [],
  ...over,
});
const find = async (search: BlobSearch, text: string) =>
  (await search.search({ text, filter: {}, viewer: { now: NOW, staffId: null }, limit: 50 })).items.map(
    (i) => i.ticket.id,
  );

class CountingBlobs extends LocalBlobStore {
  keys = new Set<string>();
  override async put(key: string, body: Uint8Array, type: string) {
    this.keys.add(key);
    return super.put(key, body, type);
  }
  override async delete(key: string) {
    this.keys.delete(key);
    return super.delete(key);
  }
}

describe('the index in the blob store', () => {
  it('is read by another instance after its refresh, and compacts into one snapshot', async () => {
    const blobs = new CountingBlobs(null);
    const writer = new BlobSearch(blobs, () => NOW, { compactAfter: 3 });
    const reader = new BlobSearch(blobs, () => NOW, { refreshMs: 0 });
    expect(await reader.size()).toBe(0);
    await writer.put([doc('TKT-1', 'printer jams')]);
    await writer.put([doc('TKT-2', 'screen flickers')]);
    expect(await find(reader, 'printer')).toEqual(['TKT-1']);
    expect([...blobs.keys].filter((k) => k.includes('segments/'))).toHaveLength(2);
    await writer.put([doc('TKT-3', 'printer offline')]);
    // Folded: one snapshot, no segments, and the reader reloads from it.
    expect([...blobs.keys].filter((k) => k.includes('segments/'))).toHaveLength(0);
    expect([...blobs.keys].filter((k) => k.includes('snapshots/'))).toHaveLength(1);
    expect((await find(reader, 'printer')).sort()).toEqual(['TKT-1', 'TKT-3']);
    const fresh = new BlobSearch(blobs, () => NOW);
    expect(await fresh.size()).toBe(3);
  });

  it('keeps the newer of two versions of a ticket, whatever order they arrive in', async () => {
    const search = new BlobSearch(new LocalBlobStore(null), () => NOW);
    await search.put([doc('TKT-1', 'printer', 2)]);
    await search.put([doc('TKT-1', 'scanner', 1)]);
    expect(await find(search, 'printer')).toEqual(['TKT-1']);
    expect(await find(search, 'scanner')).toEqual([]);
    await search.put([doc('TKT-1', 'scanner', 3, { tags: ['hw'] })]);
    expect(await find(search, 'printer')).toEqual([]);
    expect(await search.tags('', 10)).toEqual([{ tag: 'hw', count: 1 }]);
  });

  it('finds only whole-word prefixes of the words asked, all of them', async () => {
    const search = new BlobSearch(new LocalBlobStore(null), () => NOW);
    await search.put([doc('TKT-1', 'kiosk reboots nightly'), doc('TKT-2', 'kiosk is fine')]);
    expect(await find(search, 'kiosk reboot')).toEqual(['TKT-1']);
    expect((await find(search, 'kio')).sort()).toEqual(['TKT-1', 'TKT-2']);
    expect(await find(search, '"; DROP TABLE')).toEqual([]);
    // No words at all (control and direction characters): the list unfiltered by words.
    expect((await find(search, '\u0000\u202e')).sort()).toEqual(['TKT-1', 'TKT-2']);
  });
});
