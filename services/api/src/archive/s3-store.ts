import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { BlobStore, StoredBlob } from './blob-store.js';

/** Where an S3-compatible store is and how to reach it. */
export interface S3StoreOptions {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** MinIO and most self-hosted stores want path-style URLs */
  forcePathStyle: boolean;
  /** key prefix inside the bucket */
  prefix: string;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/**
 * Blobs in an S3-compatible object store (MinIO, Ceph, cloud S3), content-addressed like the disk store. A PUT is
 * acknowledged by the store only once it holds the whole object, and the SHA-256 sent with it is checked by stores
 * that check it, so no partial object is ever visible under its key.
 */
export class S3Store implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3StoreOptions) {
    this.#client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // plain PUTs with Content-Length: every S3-compatible store understands them
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    this.#bucket = options.bucket;
    this.#prefix = options.prefix;
  }

  /** Opens the store, creating its bucket when the store has none by that name. */
  static async open(options: S3StoreOptions): Promise<S3Store> {
    const store = new S3Store(options);
    await store.#client
      .send(new HeadBucketCommand({ Bucket: options.bucket }))
      .catch(async (error: unknown) => {
        if (!isNotFound(error)) throw error;
        await store.#client.send(new CreateBucketCommand({ Bucket: options.bucket }));
      });
    return store;
  }

  #key(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`not a blob key: ${key}`);
    return `${this.#prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const key = createHash('sha256').update(bytes).digest('hex');
    const exists = await this.#client
      .send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }))
      .then(
        (head) => head.ContentLength === bytes.length,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      );
    if (exists) return { key, size: bytes.length, created: false };
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#key(key),
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: 'application/dicom',
      }),
    );
    return { key, size: bytes.length, created: true };
  }

  stream(key: string): Readable {
    const out = new PassThrough();
    this.#client
      .send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }))
      .then((res) => {
        const body = res.Body as Readable | undefined;
        if (!body) throw new Error(`blob ${key} has no body`);
        body.on('error', (error: Error) => out.destroy(error));
        body.pipe(out);
      })
      .catch((error: unknown) => out.destroy(error as Error));
    return out;
  }

  async readAll(key: string): Promise<Buffer> {
    const res = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
    if (!res.Body) throw new Error(`blob ${key} has no body`);
    return Buffer.from(await res.Body.transformToByteArray());
  }

  async read(key: string, offset: number, length: number): Promise<Buffer> {
    const res = await this.#client.send(
      new GetObjectCommand({
        Bucket: this.#bucket,
        Key: this.#key(key),
        Range: `bytes=${offset}-${offset + length - 1}`,
      }),
    );
    if (!res.Body) throw new Error(`blob ${key} has no body`);
    const bytes = Buffer.from(await res.Body.transformToByteArray());
    if (bytes.length !== length) throw new Error(`blob ${key} is shorter than the index says`);
    return bytes;
  }

  async remove(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }
}
