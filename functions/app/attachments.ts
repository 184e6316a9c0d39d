// Files people attach in the portal, the console or over the API. A file goes straight to the
// blob store under an upload id (POST /uploads answers the form to send it with), and a new
// ticket or message then names its uploads; downloads are short-lived links. Uploads are the
// caller's own: a customer can only attach what someone of that customer uploaded.
import { RuleViolation } from '../../domain/errors';
import type { Attachment, Deps } from '../ports';
import { newId, type Principal } from './common';

export { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../domain/attachments';
/** How long an upload form, and a download link, stay valid. */
export const UPLOAD_SECONDS = 15 * 60;
export const DOWNLOAD_SECONDS = 5 * 60;

// What a blob key keeps of a name that came from outside (a mail's id, a file name).
const UNSAFE_KEY_CHARACTERS = /[^A-Za-z0-9._-]+/g;

/** Where the files received with one mail or chat message (`source`) are kept. */
export const receivedFolder = (customerId: string, source: string) =>
  `attachments/${customerId}/${source.replace(UNSAFE_KEY_CHARACTERS, '_')}`;

/** The key of the `n`-th file (from 1) of a received mail or message: its folder, `n`, its name made safe. */
export const receivedFileKey = (folder: string, n: number, name: string) =>
  `${folder}/${n}-${name.replace(UNSAFE_KEY_CHARACTERS, '_').slice(-100)}`;

const uploadKey = (principal: Principal, uploadId: string) =>
  `uploads/${principal.customerId ?? 'staff'}/${uploadId}`;

/** A new upload: its id, and the form that sends the file of this type and at most this size. */
export async function startUpload(
  deps: Deps,
  principal: Principal,
  input: { contentType: string; size: number },
) {
  const id = newId('UPL');
  const form = await deps.blobs.uploadForm(uploadKey(principal, id), {
    contentType: input.contentType,
    maxBytes: input.size,
    expiresInSeconds: UPLOAD_SECONDS,
  });
  return { id, ...form, maxBytes: input.size, expiresInSeconds: UPLOAD_SECONDS };
}

/** The attachments a ticket or message names, each an upload of the caller's that arrived. */
export function claimUploads(
  deps: Deps,
  principal: Principal,
  refs: readonly { uploadId: string; name: string }[] | undefined,
): Promise<Attachment[]> {
  return Promise.all(
    (refs ?? []).map(async (ref, i) => {
      const key = uploadKey(principal, ref.uploadId);
      const stored = await deps.blobs.head(key);
      if (!stored) {
        throw new RuleViolation(
          'unknown-upload',
          `upload ${ref.uploadId} has no file: send the file with the upload's form first (uploads are your own, for ${UPLOAD_SECONDS / 60} minutes)`,
          `attachments.${i}.uploadId`,
        );
      }
      return { name: ref.name, type: stored.contentType, size: stored.size, key };
    }),
  );
}
