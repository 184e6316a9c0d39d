// The search index kept in the blob store (S3 on AWS, DATA_DIR or memory locally), so that
// every API instance serves the same index without a search cluster: a snapshot of the whole
// index, and the documents written since as small segments, both named by a manifest. One
// writer (the stream's indexer, reserved concurrency 1 on AWS; the process locally) adds a
// segment per batch and folds the segments into a new snapshot every COMPACT_AFTER of them;
// readers re-read the manifest at most once per REFRESH_MS and apply only segments they lack.
import { randomBytes } from 'node:crypto';
import type { Viewer, ViewFilter } from '../../../domain/views';
import type { BlobStore, SearchDocument, TicketSearch, TicketSearchQuery } from '../../ports';
import { TicketIndex } from './mini-search';

const PREFIX = 'search/';
const MANIFEST = `${PREFIX}manifest.json`;
const JSON_TYPE = 'application/json';

interface Manifest {
  snapshot: string | null;
  segments: string[];
  /** When the snapshot was written (ms); an old one is rewritten so its segments stay few. */
  snapshotAt: number;
}

interface Held {
  index: TicketIndex;
  snapshot: string | null;
  applied: string[];
  readAt: number;
  snapshotAt: number;
}

export interface BlobSearchOptions {
  refreshMs?: number;
  compactAfter?: number;
  /** A snapshot older than this is rewritten at the next write. */
  snapshotMaxAgeMs?: number;
}

export class BlobSearch implements TicketSearch {
  private held: Held | null = null;
  private loading: Promise<Held> | null = null;
  private writing: Promise<unknown> = Promise.resolve();
  private readonly refreshMs: number;
  private readonly compactAfter: number;
  private readonly snapshotMaxAgeMs: number;

  constructor(
    private readonly blobs: BlobStore,
    private readonly now: () => number,
    options: BlobSearchOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 1000;
    this.compactAfter = options.compactAfter ?? 50;
    this.snapshotMaxAgeMs = options.snapshotMaxAgeMs ?? 86_400_000;
  }

  private async readJson<T>(key: string): Promise<T | null> {
    const bytes = await this.blobs.get(key);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : null;
  }

  private writeJson(key: string, value: unknown): Promise<void> {
    return this.blobs.put(key, Buffer.from(JSON.stringify(value)), JSON_TYPE);
  }

  /** The index as of the manifest at most REFRESH_MS old (`fresh`: as of now). */
  private current(fresh = false): Promise<Held> {
    const held = this.held;
    if (held && !fresh && Date.now() - held.readAt < this.refreshMs) return Promise.resolve(held);
    this.loading ??= this.refresh().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async refresh(): Promise<Held> {
    // A writer that compacted meanwhile deleted what the old manifest named: read the new one.
    for (let attempt = 1; ; attempt++) {
      const held = await this.load();
      if (held || attempt === 3) return held ?? this.held ?? this.emptyHeld();
    }
  }

  private emptyHeld(): Held {
    return { index: TicketIndex.empty(), snapshot: null, applied: [], readAt: Date.now(), snapshotAt: 0 };
  }

  private async load(): Promise<Held | null> {
    const manifest = (await this.readJson<Manifest>(MANIFEST)) ?? {
      snapshot: null,
      segments: [],
      snapshotAt: 0,
    };
    let held = this.held;
    if (!held || held.snapshot !== manifest.snapshot) {
      const saved = manifest.snapshot
        ? await this.readJson<Parameters<typeof TicketIndex.fromJSON>[0]>(manifest.snapshot)
        : null;
      if (manifest.snapshot && !saved) return null;
      held = {
        index: saved ? TicketIndex.fromJSON(saved) : TicketIndex.empty(),
        snapshot: manifest.snapshot,
        applied: [],
        readAt: 0,
        snapshotAt: manifest.snapshotAt,
      };
    }
    const applied = new Set(held.applied);
    for (const key of manifest.segments) {
      if (applied.has(key)) continue;
      const documents = await this.readJson<SearchDocument[]>(key);
      if (!documents) return null;
      held.index.put(documents);
      applied.add(key);
    }
    held.applied = manifest.segments;
    held.readAt = Date.now();
    this.held = held;
    return held;
  }

  put(documents: SearchDocument[]): Promise<void> {
    if (!documents.length) return Promise.resolve();
    const run = this.writing.then(() => this.write(documents));
    this.writing = run.catch(() => {});
    return run;
  }

  private async write(documents: SearchDocument[]): Promise<void> {
    const held = await this.current(true);
    held.index.put(documents);
    const name = `${this.now()}-${randomBytes(6).toString('hex')}`;
    const segment = `${PREFIX}segments/${name}.json`;
    await this.writeJson(segment, documents);
    const segments = [...held.applied, segment];
    const old = { snapshot: held.snapshot, segments: held.applied };
    let manifest: Manifest = { snapshot: held.snapshot, segments, snapshotAt: held.snapshotAt };
    const stale = this.now() - held.snapshotAt > this.snapshotMaxAgeMs;
    if (segments.length >= this.compactAfter || (held.snapshot !== null && stale)) {
      const snapshot = `${PREFIX}snapshots/${name}.json`;
      await this.writeJson(snapshot, held.index.toJSON());
      manifest = { snapshot, segments: [], snapshotAt: this.now() };
    }
    await this.writeJson(MANIFEST, manifest);
    held.snapshot = manifest.snapshot;
    held.snapshotAt = manifest.snapshotAt;
    held.applied = manifest.segments;
    if (manifest.snapshot !== old.snapshot) {
      // Readers that still hold the old manifest reload from the new one; nothing names these.
      for (const key of [...old.segments, segment, ...(old.snapshot ? [old.snapshot] : [])])
        await this.blobs.delete(key);
    }
  }

  async search(query: TicketSearchQuery) {
    return (await this.current()).index.search(query);
  }

  async count(filters: ViewFilter[], viewer: Viewer): Promise<number[]> {
    return (await this.current()).index.count(filters, viewer);
  }

  async tags(prefix: string, limit: number) {
    return (await this.current()).index.tags(prefix, limit);
  }

  async size(): Promise<number> {
    return (await this.current()).index.size;
  }
}
