import { newBoundary } from '@telemed/dicom';
import { batchBody, batchContentType } from './batching';
import type { Pseudonymisation } from './deidentify-upload';
import { stagingDirectory } from './staging';

/** What the page asks: write each batch's body into the origin's private file system, de-identified if asked. */
export interface StageRequest {
  kind: 'stage';
  uploadId: string;
  files: File[];
  /** per batch, the indexes into `files` */
  batches: number[][];
  pseudonymisation: Pseudonymisation | null;
}

/** One batch written: its name in the staging folder, its size and type; then the study's UID as sent. */
export type StageMessage =
  | { kind: 'staged'; batch: number; name: string; bytes: number; contentType: string }
  | { kind: 'done'; studyInstanceUid: string | null }
  | { kind: 'failed'; message: string };

/** The synchronous access a worker has to a file of the origin's private file system (not in the DOM typings). */
interface SyncAccessible {
  createSyncAccessHandle(): Promise<{
    write(data: Uint8Array, options: { at: number }): number;
    truncate(size: number): void;
    flush(): void;
    close(): void;
  }>;
}

/** The parts of one batch: the dropped files as they are, or their de-identified copies (a batch is a few MB). */
async function partsOf(
  files: File[],
  p: Pseudonymisation | null,
): Promise<{ parts: Blob[]; study: string | null }> {
  if (!p) return { parts: files, study: null };
  // the de-identification profile is loaded only for an upload that asks for it
  const { deidentifyForUpload } = await import('./deidentify-upload');
  const parts: Blob[] = [];
  let study: string | null = null;
  for (const file of files) {
    const out = deidentifyForUpload(new Uint8Array(await file.arrayBuffer()), p);
    study = out.studyInstanceUid;
    parts.push(new Blob([out.bytes as Uint8Array<ArrayBuffer>]));
  }
  return { parts, study };
}

/** In the upload worker: writes each batch's body to the staging folder, posting each as it is written. */
export async function stageBatches(
  request: StageRequest,
  post: (message: StageMessage) => void,
): Promise<void> {
  const { uploadId, files, batches, pseudonymisation } = request;
  let study: string | null = null;
  try {
    const dir = await stagingDirectory(uploadId, true);
    for (const [n, indexes] of batches.entries()) {
      const made = await partsOf(
        indexes.map((i) => files[i] as File),
        pseudonymisation,
      );
      study ??= made.study;
      const boundary = newBoundary();
      const name = `batch-${String(n).padStart(5, '0')}`;
      const handle = await dir.getFileHandle(name, { create: true });
      // written as a stream: the body goes from the dropped files to the disk a chunk at a time
      const access = await (handle as unknown as SyncAccessible).createSyncAccessHandle();
      try {
        access.truncate(0);
        let at = 0;
        const reader = batchBody(made.parts, boundary).stream().getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          at += access.write(value, { at });
        }
        access.flush();
        post({
          kind: 'staged',
          batch: n,
          name,
          bytes: at,
          contentType: batchContentType(boundary),
        });
      } finally {
        access.close();
      }
    }
    post({ kind: 'done', studyInstanceUid: study });
  } catch (error) {
    const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
    post({
      kind: 'failed',
      message: quota ? 'quota' : error instanceof Error ? error.message : String(error),
    });
  }
}
