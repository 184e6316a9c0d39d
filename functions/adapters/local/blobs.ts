// The local runtime's blob store: files under DATA_DIR/blobs, or memory for tests.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { BlobStore } from '../../ports';

export class LocalBlobStore implements BlobStore {
  private readonly memory = new Map<string, Uint8Array>();

  constructor(private readonly directory: string | null) {}

  private path(key: string): string {
    const path = normalize(join(this.directory!, key));
    if (!path.startsWith(normalize(this.directory!)))
      throw new Error(`blob key ${key} leaves the blob directory`);
    return path;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    if (!this.directory) {
      this.memory.set(key, body);
      return;
    }
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }

  async get(key: string): Promise<Uint8Array | null> {
    if (!this.directory) return this.memory.get(key) ?? null;
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
