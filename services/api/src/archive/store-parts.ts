import { AppError } from '@telemed/contracts';
import { MultipartError, readMultipart } from '@telemed/dicom/node';
import { ingestInstance, type IngestContext } from './ingest.js';
import { FAILURE, type StowItem } from './stow-status.js';

/**
 * Reads a multipart/related body part by part and ingests each application/dicom part as it completes. A bad part
 * is answered on its own; a body that breaks off keeps what arrived whole.
 */
export async function storeParts(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  ctx: IngestContext,
): Promise<StowItem[]> {
  const items: StowItem[] = [];
  const fail = (failureReason: number, message: string): void => {
    items.push({ ok: false, sopClassUid: null, sopInstanceUid: null, failureReason, message });
  };
  try {
    for await (const part of readMultipart(source, boundary, { maxPartBytes: ctx.maxInstanceBytes })) {
      const partType = (part.headers['content-type'] ?? 'application/dicom')
        .split(';')[0]
        ?.trim()
        .toLowerCase();
      if (partType !== 'application/dicom') {
        fail(
          FAILURE.sopClassNotSupported,
          `part ${items.length + 1} is ${partType ?? 'untyped'}; only application/dicom parts are stored`,
        );
      } else if (part.tooLarge) {
        fail(
          FAILURE.outOfResources,
          `part ${items.length + 1} is ${part.size} bytes, over the ${ctx.maxInstanceBytes}-byte limit per instance`,
        );
      } else {
        items.push(await ingestInstance(part.body, ctx));
      }
    }
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    if (!items.length)
      throw new AppError('bad_request', `the multipart body cannot be read: ${error.message}`);
    fail(
      FAILURE.cannotUnderstand,
      `the request broke off after ${items.length} parts: ${error.message}; resend the rest`,
    );
  }
  return items;
}
