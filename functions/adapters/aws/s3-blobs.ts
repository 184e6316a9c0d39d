// Blobs in S3: raw inbound mail (written by SES's S3 action), attachments, quarantine, reports.
// Browsers upload attachments straight to the bucket with a presigned POST (the API's Lambdas
// never carry the bytes: API Gateway and Lambda stop at 10 and 6 MB) and download them with
// presigned GETs. The presigning libraries are loaded when first used: only the files
// function bundles them (infra/constructs/ticket-api.ts), the SLA path stays small.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BlobStore, UploadOptions } from '../../ports';
import { contentDisposition } from '../disposition';

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucketOf: () => string,
  ) {}

  private get bucket(): string {
    return this.bucketOf();
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body ? await object.Body.transformToByteArray() : null;
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async head(key: string): Promise<{ size: number; contentType: string } | null> {
    try {
      const object = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: object.ContentLength ?? 0,
        contentType: object.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      // HEAD has no body, so S3's 404 arrives as a bare NotFound.
      if ((error as Error).name === 'NotFound' || error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  async uploadForm(key: string, options: UploadOptions) {
    const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
    return createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, options.maxBytes],
        ['eq', '$Content-Type', options.contentType],
      ],
      Fields: { 'Content-Type': options.contentType },
      Expires: options.expiresInSeconds,
    });
  }

  async downloadUrl(
    key: string,
    options: { filename: string; contentType: string; expiresInSeconds: number },
  ) {
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: contentDisposition(options.filename),
        ResponseContentType: options.contentType,
      }),
      { expiresIn: options.expiresInSeconds },
    );
  }
}
