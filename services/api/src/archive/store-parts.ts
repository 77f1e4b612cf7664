import { AppError } from '@telemed/contracts';
import { MultipartError, readMultipart } from '@telemed/dicom/node';
import { ingestInstance, type IngestContext } from './ingest.js';
import { FAILURE, type StowItem } from './stow-status.js';

// Instances ingested at once: writing and fsyncing one overlaps parsing the next. Bounded in count and bytes, so
// memory holds a few instances, never the study.
const MAX_IN_FLIGHT = 8;
const MAX_IN_FLIGHT_BYTES = 128 * 1024 * 1024;

/**
 * Reads a multipart/related body part by part and ingests each application/dicom part, several at a time, answering
 * in the order the parts came. A bad part is answered on its own; a body that breaks off keeps what arrived whole.
 */
export async function storeParts(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  ctx: IngestContext,
): Promise<StowItem[]> {
  const results: Promise<StowItem>[] = [];
  const inFlight = new Map<Promise<unknown>, number>();
  let inFlightBytes = 0;
  const done = (item: StowItem): void => {
    results.push(Promise.resolve(item));
  };
  const fail = (failureReason: number, message: string): void => {
    done({ ok: false, sopClassUid: null, sopInstanceUid: null, failureReason, message });
  };
  let broken: MultipartError | null = null;
  try {
    for await (const part of readMultipart(source, boundary, { maxPartBytes: ctx.maxInstanceBytes })) {
      const partType = (part.headers['content-type'] ?? 'application/dicom')
        .split(';')[0]
        ?.trim()
        .toLowerCase();
      if (partType !== 'application/dicom') {
        fail(
          FAILURE.sopClassNotSupported,
          `part ${results.length + 1} is ${partType ?? 'untyped'}; only application/dicom parts are stored`,
        );
        continue;
      }
      if (part.tooLarge) {
        fail(
          FAILURE.outOfResources,
          `part ${results.length + 1} is ${part.size} bytes, over the ${ctx.maxInstanceBytes}-byte limit per instance`,
        );
        continue;
      }
      while (
        inFlight.size >= MAX_IN_FLIGHT ||
        (inFlight.size > 0 && inFlightBytes + part.size > MAX_IN_FLIGHT_BYTES)
      ) {
        await Promise.race(inFlight.keys());
      }
      const work = ingestInstance(part.body, ctx);
      const size = part.size;
      inFlight.set(work, size);
      inFlightBytes += size;
      const settle = (): void => {
        inFlight.delete(work);
        inFlightBytes -= size;
      };
      work.then(settle, settle);
      results.push(work);
    }
  } catch (error) {
    if (!(error instanceof MultipartError)) {
      await Promise.allSettled(results);
      throw error;
    }
    broken = error;
  }
  const items = await Promise.all(results);
  if (broken) {
    if (!items.length)
      throw new AppError('bad_request', `the multipart body cannot be read: ${broken.message}`);
    items.push({
      ok: false,
      sopClassUid: null,
      sopInstanceUid: null,
      failureReason: FAILURE.cannotUnderstand,
      message: `the request broke off after ${items.length} parts: ${broken.message}; resend the rest`,
    });
  }
  return items;
}
