import type { Readable } from 'node:stream';

/** A stored blob: its content address (SHA-256, hex) and size. */
export interface StoredBlob {
  key: string;
  size: number;
  /** false when identical bytes were already stored under this key */
  created: boolean;
}

/**
 * Where DICOM files live. Keys are the SHA-256 of the content, so the same bytes are stored once and a key always
 * names the same bytes. `put` returns only once the bytes are durable.
 */
export interface BlobStore {
  put(bytes: Uint8Array): Promise<StoredBlob>;
  /** The whole blob as a stream. */
  stream(key: string): Readable;
  /** The whole blob in memory, for blobs known to be small; `size`, when the index knows it, spares a stat. */
  readAll(key: string, size?: number): Promise<Buffer>;
  /** `length` bytes from `offset`. */
  read(key: string, offset: number, length: number): Promise<Buffer>;
  /** Removes a blob no index row points at (after a failed index write). */
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}
