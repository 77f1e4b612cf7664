import { HEADER_PREFIX_BYTES, readHeaderSummary } from '@telemed/dicom';
import type { ReadFile } from './upload-planner';

/** What the page asks: the files dropped, each with its path inside the dropped folder. */
export interface ReadHeadersRequest {
  kind: 'read';
  files: { file: File; path: string }[];
}

/** What the worker answers: a count while reading, then every file's header or why it has none. */
export type ReadHeadersMessage = { kind: 'progress'; read: number } | { kind: 'done'; files: ReadFile[] };

// progress is posted this often: each message costs the page a render
const PROGRESS_EVERY = 25;

/** In the upload worker: reads the start of each file, posting a count as it goes and then every file's header. */
export async function readHeaders(
  request: ReadHeadersRequest,
  post: (message: ReadHeadersMessage) => void,
): Promise<void> {
  const out: ReadFile[] = [];
  for (const { file, path } of request.files) {
    // only the start of each file: a 300 MB multi-frame file is never read whole to show what it is
    let read: ReadFile;
    try {
      const prefix = new Uint8Array(await file.slice(0, HEADER_PREFIX_BYTES).arrayBuffer());
      read = { path, size: file.size, header: readHeaderSummary(prefix), problem: null };
    } catch (error) {
      read = {
        path,
        size: file.size,
        header: null,
        problem: error instanceof Error ? error.message : String(error),
      };
    }
    out.push(read);
    if (out.length % PROGRESS_EVERY === 0) post({ kind: 'progress', read: out.length });
  }
  post({ kind: 'done', files: out });
}
