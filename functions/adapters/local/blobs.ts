// The local runtime's blob store: files under DATA_DIR/blobs (their media types beside them
// under .types/), or memory for tests. Uploads and downloads work as S3's presigned POST and
// GET do: the runtime serves /local/uploads and /local/blobs, and only a form or link this
// store signed (HMAC, a secret of this process, real time) and that has not expired is taken.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { BlobStore, UploadOptions } from '../../ports';
import { contentDisposition } from '../disposition';

export interface LocalDownload {
  body: Uint8Array;
  headers: Record<string, string>;
}

export class LocalBlobStore implements BlobStore {
  private readonly memory = new Map<string, { body: Uint8Array; type: string }>();
  private readonly secret = randomBytes(32);

  constructor(private readonly directory: string | null) {}

  private path(root: string, key: string): string {
    const path = normalize(join(root, key));
    if (!path.startsWith(normalize(root))) throw new Error(`blob key ${key} leaves the blob directory`);
    return path;
  }

  async put(key: string, body: Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    if (!this.directory) {
      this.memory.set(key, { body, type: contentType });
      return;
    }
    const path = this.path(this.directory, key);
    const typePath = this.path(join(this.directory, '.types'), key);
    await mkdir(dirname(path), { recursive: true });
    await mkdir(dirname(typePath), { recursive: true });
    await writeFile(typePath, contentType);
    await writeFile(path, body);
  }

  async get(key: string): Promise<Uint8Array | null> {
    if (!this.directory) return this.memory.get(key)?.body ?? null;
    return readOrNull(this.path(this.directory, key));
  }

  async delete(key: string): Promise<void> {
    if (!this.directory) {
      this.memory.delete(key);
      return;
    }
    await rm(this.path(this.directory, key), { force: true });
    await rm(this.path(join(this.directory, '.types'), key), { force: true });
  }

  async head(key: string): Promise<{ size: number; contentType: string } | null> {
    if (!this.directory) {
      const found = this.memory.get(key);
      return found ? { size: found.body.length, contentType: found.type } : null;
    }
    const body = await this.get(key);
    if (!body) return null;
    const type = await readOrNull(this.path(join(this.directory, '.types'), key));
    return {
      size: body.length,
      contentType: type ? Buffer.from(type).toString('utf8') : 'application/octet-stream',
    };
  }

  async uploadForm(key: string, options: UploadOptions) {
    const fields = {
      key,
      'Content-Type': options.contentType,
      'x-max-bytes': String(options.maxBytes),
      'x-expires': String(Math.floor(Date.now() / 1000) + options.expiresInSeconds),
    };
    return { url: '/local/uploads', fields: { ...fields, 'x-signature': this.sign(Object.values(fields)) } };
  }

  async downloadUrl(
    key: string,
    options: { filename: string; contentType: string; expiresInSeconds: number },
  ) {
    const fields = {
      key,
      name: options.filename,
      type: options.contentType,
      expires: String(Math.floor(Date.now() / 1000) + options.expiresInSeconds),
    };
    const query = new URLSearchParams({ ...fields, signature: this.sign(Object.values(fields)) });
    return `/local/blobs?${query}`;
  }

  /** Stores an uploaded file if its form is one this store signed and the file fits it; else why not. */
  async acceptUpload(
    fields: Record<string, string>,
    file: Uint8Array,
    fileType: string,
  ): Promise<string | null> {
    const { key, 'Content-Type': type, 'x-max-bytes': max, 'x-expires': expires } = fields;
    if (!key || !type || !max || !expires || !this.verify([key, type, max, expires], fields['x-signature']))
      return 'the upload form is not one this desk signed';
    if (Number(expires) < Date.now() / 1000) return 'the upload form has expired';
    if (file.length === 0) return 'the file is empty';
    if (file.length > Number(max))
      return `the file is ${file.length} bytes; this upload takes at most ${max}`;
    if (fileType && fileType !== type) return `the file is ${fileType}; this upload takes ${type}`;
    await this.put(key, file, type);
    return null;
  }

  /** The file a signed, unexpired download link names, as a download that never renders. */
  async download(query: URLSearchParams): Promise<LocalDownload | null> {
    const fields = ['key', 'name', 'type', 'expires'].map((f) => query.get(f) ?? '');
    if (!this.verify(fields, query.get('signature') ?? undefined)) return null;
    if (Number(fields[3]) < Date.now() / 1000) return null;
    const body = await this.get(fields[0]!);
    if (!body) return null;
    return {
      body,
      headers: {
        'content-type': fields[2]!,
        'content-disposition': contentDisposition(fields[1]!),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
      },
    };
  }

  private sign(values: string[]): string {
    return createHmac('sha256', this.secret).update(JSON.stringify(values)).digest('base64url');
  }

  private verify(values: string[], signature: string | undefined): boolean {
    if (!signature) return false;
    const expected = Buffer.from(this.sign(values));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

async function readOrNull(path: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
