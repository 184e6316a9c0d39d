// Files: uploads straight to the blob store, and downloads of a ticket's attachments by link.
// Their own Lambda: only it carries the presigning libraries and may sign for the bucket.

import { NotFound } from '../../../domain/errors';
import { wholeNumber } from '../../../domain/numbers';
import * as z from '../../../domain/zod';
import { DOWNLOAD_SECONDS, MAX_ATTACHMENT_BYTES, startUpload, UPLOAD_SECONDS } from '../../app/attachments';
import * as tickets from '../../app/tickets';
import { Reply, type RouteSpec } from '../middleware';
import { Id } from '../primitives';
import { visibleAttachment } from '../views';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const anyone = ['admin', 'agent', 'customer'] as const;

const UploadBody = z.object({
  contentType: z
    .string()
    .check(
      z.maxLength(100),
      z.regex(/^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/, 'expected a media type such as image/png'),
      z.describe('The file’s media type (application/octet-stream when unknown); the upload takes only this'),
    ),
  size: wholeNumber(1, MAX_ATTACHMENT_BYTES).check(
    z.describe(`The file’s size in bytes (at most ${MAX_ATTACHMENT_BYTES}); the upload takes no larger file`),
  ),
});

const UploadResponse = z.object({
  id: z.string().check(z.describe('Name it in attachments[].uploadId of a new ticket or message')),
  url: z.string().check(z.describe('Where to POST the form (relative to the API locally)')),
  fields: z
    .record(z.string(), z.string())
    .check(z.describe('Send these form fields first, in this order, then the file as the field `file`')),
  maxBytes: z.number().check(z.int()),
  expiresInSeconds: z.number().check(z.int()),
});

const AttachmentParams = z.object({
  id: Id,
  seq: z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000_000)),
  index: z.union([z.literal('original'), z.coerce.number().check(z.int(), z.gte(0), z.lte(1000))]),
});

export const fileRoutes = [
  route({
    method: 'POST',
    path: '/uploads',
    operationId: 'startUpload',
    summary: `Upload a file (at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB) to attach: POST the answer's fields and then the file to its url as multipart/form-data, within ${UPLOAD_SECONDS / 60} minutes`,
    roles: anyone,
    body: UploadBody,
    status: 201,
    response: UploadResponse,
    async handle({ deps, principal, body }) {
      return new Reply(201, await startUpload(deps, principal, body));
    },
  }),
  route({
    method: 'GET',
    path: '/tickets/{id}/attachments/{seq}/{index}',
    operationId: 'getAttachment',
    summary: `A file of the timeline entry \`seq\` (\`original\`: the mail it came from, for staff): a redirect to a download link valid ${DOWNLOAD_SECONDS / 60} minutes (customers: of what they may see)`,
    roles: anyone,
    params: AttachmentParams,
    status: 302,
    response: z.object({ url: z.string() }),
    responseHeaders: { Location: 'The download link' },
    async handle({ deps, principal, params, headers }) {
      const view = await tickets.getTicket(deps, principal, params.id);
      const file = visibleAttachment(view, principal, params.seq, params.index);
      if (!file) throw new NotFound('attachment', `${params.id}/${params.seq}/${params.index}`);
      const link = await deps.blobs.downloadUrl(file.key, {
        filename: file.name,
        contentType: file.type,
        expiresInSeconds: DOWNLOAD_SECONDS,
      });
      const url = onHostAsked(link, headers.host);
      return new Reply(302, { url }, { location: url, 'cache-control': 'no-store' });
    },
  }),
];

/** S3's links are absolute; the local store's are paths, made whole on the host the client asked. */
function onHostAsked(link: string, host: string | undefined): string {
  if (!link.startsWith('/') || !host) return link;
  return URL.canParse(`http://${host}`) ? new URL(link, `http://${host}`).toString() : link;
}
