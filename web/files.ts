// Attaching files: each goes straight to the blob store with the form POST /uploads signs (on
// AWS an S3 presigned POST, locally the runtime), then the ticket or message names it.
import { html } from 'htm/preact';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../domain/attachments';
import { ApiError, api } from './api';
import { Paperclip } from './icons';

export interface AttachmentLink {
  name: string;
  type: string;
  size: number;
  href: string;
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** Why these files cannot be attached, or null. */
export function refuseFiles(files: File[]): string | null {
  if (files.length > MAX_ATTACHMENTS) return `Attach at most ${MAX_ATTACHMENTS} files.`;
  const big = files.find((f) => f.size > MAX_ATTACHMENT_BYTES);
  if (big) return `${big.name} is ${bytes(big.size)}; a file may be at most ${bytes(MAX_ATTACHMENT_BYTES)}.`;
  const empty = files.find((f) => f.size === 0);
  return empty ? `${empty.name} is empty.` : null;
}

/** Uploads the files one by one; the references to name in `attachments`. */
export async function uploadFiles(files: File[]): Promise<{ uploadId: string; name: string }[]> {
  const refused = refuseFiles(files);
  if (refused) throw new ApiError(422, 'attachments', refused);
  const refs: { uploadId: string; name: string }[] = [];
  for (const file of files) {
    const contentType = file.type || 'application/octet-stream';
    const upload = await api<{ id: string; url: string; fields: Record<string, string> }>(
      'POST',
      '/uploads',
      {
        contentType,
        size: file.size,
      },
    );
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([file], { type: contentType }), file.name);
    const sent = await fetch(upload.url, { method: 'POST', body: form, credentials: 'omit' });
    if (!sent.ok) throw new ApiError(sent.status, 'upload', `${file.name} could not be uploaded; try again.`);
    refs.push({ uploadId: upload.id, name: file.name.slice(0, 200) || 'file' });
  }
  return refs;
}

export function FilePicker({
  id,
  files,
  onChange,
}: {
  id: string;
  files: File[];
  onChange(files: File[]): void;
}) {
  const refused = refuseFiles(files);
  return html`
    <label for=${id}>Attachments (optional: up to ${MAX_ATTACHMENTS} files, ${bytes(MAX_ATTACHMENT_BYTES)} each)</label>
    <input id=${id} type="file" multiple
      onChange=${(e: Event) => onChange([...((e.target as HTMLInputElement).files ?? [])])} />
    ${files.length ? html`<ul class="files">${files.map((f) => html`<li><${Paperclip} />${f.name} <span class="hint">${bytes(f.size)}</span></li>`)}</ul>` : null}
    ${refused ? html`<p class="error" role="alert">${refused}</p>` : null}`;
}

export function Attachments({ files }: { files: AttachmentLink[] | undefined }) {
  if (!files?.length) return null;
  return html`<ul class="files" aria-label="Attachments">${files.map(
    (f) =>
      html`<li><${Paperclip} /><a href=${f.href} download=${f.name}>${f.name}</a> <span class="hint">${bytes(f.size)}</span></li>`,
  )}</ul>`;
}
