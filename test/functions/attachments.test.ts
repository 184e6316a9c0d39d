// Attachments: a file goes to the blob store with a signed form (S3's presigned POST shape;
// locally the runtime's /local/uploads), a ticket or message names the upload, and each
// attachment is downloaded through a short-lived link by those who may see its entry.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalBlobStore } from '../../functions/adapters/local/blobs';
import { MAX_ATTACHMENT_BYTES } from '../../functions/app/attachments';
import { type Harness, harness } from './harness';

let h: Harness;
let blobs: LocalBlobStore;
let agent: string;
let acme: { id: string; key: string };
let globex: { id: string; key: string };

const WORST_NAME = 'Straße "final"; filename=evil.html 🙂\r\n<script>.png';

/** Asks for an upload and sends the bytes with its form, as a browser would. */
async function upload(key: string, bytes: Uint8Array, type = 'image/png') {
  const started = await h.call('POST', '/uploads', { key, body: { contentType: type, size: bytes.length } });
  expect(started.status).toBe(201);
  const refused = await blobs.acceptUpload(started.body.fields, bytes, type);
  expect(refused).toBeNull();
  return started.body.id as string;
}

async function download(key: string, href: string) {
  const res = await h.call('GET', href, { key });
  if (res.status !== 302) return { status: res.status, body: null };
  const file = await blobs.download(new URL(res.headers.location!, 'http://localhost').searchParams);
  return { status: res.status, body: file?.body ?? null, headers: file?.headers };
}

beforeAll(async () => {
  h = await harness('2026-11-23T09:00:00Z');
  blobs = h.deps.blobs as LocalBlobStore;
  agent = await h.key('agent');
  acme = await h.customer('ombori-production');
  globex = await h.customer('ombori-production');
});

describe('attachments', () => {
  it('files a ticket with a file and hands it back, under its exact name, only to those who may see it', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => i % 251);
    const uploadId = await upload(acme.key, bytes);
    const res = await h.call('POST', '/tickets', {
      key: acme.key,
      body: {
        subject: 'Screen photo',
        description: 'See the file',
        priority: 'P2',
        attachments: [{ uploadId, name: WORST_NAME }],
      },
    });
    expect(res.status).toBe(201);
    const [file] = res.body.timeline[0].attachments;
    expect(file).toEqual({
      name: WORST_NAME,
      type: 'image/png',
      size: 4096,
      href: `/tickets/${res.body.id}/attachments/1/0`,
    });
    expect(JSON.stringify(res.body)).not.toContain('uploads/'); // store keys stay inside
    const mine = await download(acme.key, file.href);
    expect(mine.status).toBe(302);
    expect(Buffer.from(mine.body!).equals(Buffer.from(bytes))).toBe(true);
    // Never rendered as a page of ours, whatever its type; the name cannot break the header.
    expect(mine.headers).toMatchObject({
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
    });
    expect(mine.headers!['content-disposition']).toMatch(
      /^attachment; filename="[^"\r\n]*"; filename\*=UTF-8''[^\s"]+$/,
    );
    expect((await download(agent, file.href)).status).toBe(302);
    // The link is on the host the client asked (PORT=3110, a name other than localhost).
    const onHost = await h.call('GET', file.href, { key: acme.key, headers: { host: 'desk.test:3110' } });
    expect(onHost.headers.location).toMatch(/^http:\/\/desk\.test:3110\/local\/blobs\?key=/);
    const badHost = await h.call('GET', file.href, { key: acme.key, headers: { host: 'a b' } });
    expect(badHost.status).toBe(302);
    expect((await download(globex.key, file.href)).status).toBe(404);
    expect((await download(acme.key, `/tickets/${res.body.id}/attachments/1/1`)).status).toBe(404);
  });

  it('keeps an internal note’s file from the customer', async () => {
    const ticket = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 'Logs', description: 'x', priority: 'P3' },
    });
    const uploadId = await upload(agent, new TextEncoder().encode('secret log'), 'text/plain');
    const noted = await h.call('POST', `/tickets/${ticket.body.id}/messages`, {
      key: agent,
      body: { body: 'Vendor log attached', internal: true, attachments: [{ uploadId, name: 'log.txt' }] },
    });
    expect(noted.status).toBe(201);
    const note = noted.body.timeline.find((e: { internal?: boolean }) => e.internal);
    expect(note.attachments[0].name).toBe('log.txt');
    expect((await download(agent, note.attachments[0].href)).status).toBe(302);
    expect((await download(acme.key, note.attachments[0].href)).status).toBe(404);
    const seen = await h.call('GET', `/tickets/${ticket.body.id}`, { key: acme.key });
    expect(JSON.stringify(seen.body)).not.toContain('log.txt');
  });

  it('refuses uploads that are not the caller’s own, never arrived, or break their form', async () => {
    const theirs = await upload(globex.key, new Uint8Array([1, 2, 3]));
    const body = (uploadId: string) => ({
      subject: 's',
      description: 'd',
      priority: 'P3',
      attachments: [{ uploadId, name: 'a.png' }],
    });
    const stolen = await h.call('POST', '/tickets', { key: acme.key, body: body(theirs) });
    expect(stolen.status).toBe(422);
    expect(stolen.body.error).toMatchObject({ code: 'unknown-upload' });
    expect(stolen.body.error.details[0].field).toBe('attachments.0.uploadId');
    const started = await h.call('POST', '/uploads', {
      key: acme.key,
      body: { contentType: 'image/png', size: 3 },
    });
    expect((await h.call('POST', '/tickets', { key: acme.key, body: body(started.body.id) })).status).toBe(
      422,
    );
    // The form takes no bigger file, no other type, no changed field, and nothing empty.
    const { fields } = started.body;
    expect(await blobs.acceptUpload(fields, new Uint8Array(4), 'image/png')).toMatch(/at most 3/);
    expect(await blobs.acceptUpload(fields, new Uint8Array(3), 'text/html')).toMatch(/takes image\/png/);
    expect(
      await blobs.acceptUpload(
        { ...fields, key: `uploads/${globex.id}/UPL-0000000000` },
        new Uint8Array(3),
        'image/png',
      ),
    ).toMatch(/not one this desk signed/);
    expect(await blobs.acceptUpload(fields, new Uint8Array(0), 'image/png')).toMatch(/empty/);
    expect(await blobs.acceptUpload({ ...fields, 'x-expires': '1' }, new Uint8Array(3), 'image/png')).toMatch(
      /not one this desk signed/,
    );
  });

  it('checks sizes, types, counts and ids at the edges', async () => {
    const ask = (body: unknown) => h.call('POST', '/uploads', { key: acme.key, body });
    expect((await ask({ contentType: 'application/pdf', size: MAX_ATTACHMENT_BYTES })).status).toBe(201);
    for (const [body, field] of [
      [{ contentType: 'application/pdf', size: MAX_ATTACHMENT_BYTES + 1 }, 'size'],
      [{ contentType: 'application/pdf', size: 0 }, 'size'],
      [{ contentType: 'application/pdf', size: 1e308 }, 'size'],
      [{ contentType: 'text/html\r\nx-evil: 1', size: 10 }, 'contentType'],
      [{ contentType: '../../etc', size: 10 }, 'contentType'],
    ] as const) {
      const res = await ask(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const eleven = Array.from({ length: 11 }, () => ({ uploadId: 'UPL-0000000000', name: 'a' }));
    const tooMany = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 's', description: 'd', priority: 'P3', attachments: eleven },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].field).toBe('attachments');
    const traversal = await h.call('POST', '/tickets', {
      key: acme.key,
      body: {
        subject: 's',
        description: 'd',
        priority: 'P3',
        attachments: [{ uploadId: '../x', name: 'a' }],
      },
    });
    expect(traversal.body.error.details[0].field).toBe('attachments.0.uploadId');
    expect((await h.call('GET', '/tickets/TKT-0000000000/attachments/abc/0', { key: agent })).status).toBe(
      400,
    );
  });
});
