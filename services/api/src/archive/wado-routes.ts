import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  BulkdataParams,
  FramesParams,
  InstanceParams,
  SeriesParams,
  StudyParams,
  WadoUriQuery,
} from '@telemed/contracts';
import { DicomError, newBoundary } from '@telemed/dicom';
import { decodeFrame, imageInfoOf } from '@telemed/dicom/codecs';
import type { InstanceRow, MatchCondition } from '@telemed/db';
import { actorOf } from '../plugins/auth.js';
import type { BlobStore } from './blob-store.js';
import { frameMedia } from './frame-media.js';
import { instanceUrl, metadataJson } from './dicomweb-json.js';
import { MultipartStream, type StreamedPart } from './multipart-stream.js';
import { dicomwebBase } from './qido-routes.js';

export interface WadoOptions {
  store: BlobStore;
}

/** The study, series and instance a retrieve path names. */
interface PathUids {
  study: string;
  series?: string;
  instance?: string;
}

/** A frame's bytes as the index records them: one range, or the fragments of an encapsulated frame. */
interface FrameEntry {
  offset: number;
  length: number;
  fragments?: { offset: number; length: number }[];
}

const MAX_INSTANCES_PER_RETRIEVE = 100_000;

function conditions(p: PathUids): MatchCondition[] {
  const out: MatchCondition[] = [{ column: 'StudyInstanceUID', op: 'anyOf', values: [p.study] }];
  if (p.series) out.push({ column: 'SeriesInstanceUID', op: 'anyOf', values: [p.series] });
  if (p.instance) out.push({ column: 'SOPInstanceUID', op: 'anyOf', values: [p.instance] });
  return out;
}

function notFound(p: PathUids): AppError {
  const what = p.instance ? `instance ${p.instance}` : p.series ? `series ${p.series}` : `study ${p.study}`;
  return new AppError('not_found', `${what} was not found`);
}

/** Whether the client accepts `wanted` (a media type), by its Accept header; no header accepts anything. */
function accepts(request: FastifyRequest, wanted: string[]): boolean {
  const accept = request.headers.accept;
  if (!accept) return true;
  return accept
    .toLowerCase()
    .split(',')
    .some((range) => {
      const media = range.split(';')[0]?.trim() ?? '';
      const type = /type="?([^";]+)"?/.exec(range)?.[1];
      if (media === '*/*' || media === 'multipart/*') return true;
      if (media === 'multipart/related') return !type || wanted.includes(type) || type === '*/*';
      return wanted.includes(media);
    });
}

/** Sends parts one after another as multipart/related, each loaded only a few parts before it is sent. */
function sendMultipart(reply: FastifyReply, type: string, parts: StreamedPart[]): FastifyReply {
  const boundary = newBoundary();
  const body = new MultipartStream(boundary, parts);
  if (body.length !== null) reply.header('content-length', body.length);
  return reply.type(`multipart/related; type="${type}"; boundary=${boundary}`).send(body);
}

// Files up to this size are read whole (one system call, and the next is read while this one is sent).
const READ_WHOLE_BYTES = 16 * 1024 * 1024;

/** WADO-RS retrieve (studies, series, instances, metadata, frames, bulk data) and WADO-URI for cornerstone. */
export const wadoRoutes: FastifyPluginAsyncTypebox<WadoOptions> = async (app, options) => {
  async function instancesOf(
    request: FastifyRequest,
    p: PathUids,
    withMetadata: boolean,
  ): Promise<InstanceRow[]> {
    const rows = await app.db.archive.searchInstances(
      actorOf(request),
      conditions(p),
      MAX_INSTANCES_PER_RETRIEVE,
      0,
      withMetadata,
    );
    if (!rows.length) throw notFound(p);
    request.auditTrail.details = { instances: rows.length };
    return rows;
  }

  async function retrieve(request: FastifyRequest, reply: FastifyReply, p: PathUids): Promise<FastifyReply> {
    if (!accepts(request, ['application/dicom'])) {
      throw new AppError(
        'bad_request',
        'this archive returns instances as multipart/related; type="application/dicom"',
      );
    }
    const rows = await instancesOf(request, p, false);
    const base = dicomwebBase(request);
    const parts = rows.map((row): StreamedPart => ({
      contentType: `application/dicom; transfer-syntax=${row.transfer_syntax_uid}`,
      location: instanceUrl(row, base),
      size: Number(row.size_bytes),
      load: () =>
        Number(row.size_bytes) > READ_WHOLE_BYTES
          ? Promise.resolve(options.store.stream(row.blob_key))
          : options.store.readAll(row.blob_key, Number(row.size_bytes)),
    }));
    return sendMultipart(reply, 'application/dicom', parts);
  }

  async function metadata(request: FastifyRequest, reply: FastifyReply, p: PathUids): Promise<FastifyReply> {
    const rows = await instancesOf(request, p, true);
    const base = dicomwebBase(request);
    return reply.type('application/dicom+json').send(rows.map((r) => metadataJson(r, base)));
  }

  async function frameBytes(row: InstanceRow, entry: FrameEntry): Promise<Buffer> {
    const ranges = entry.fragments?.length ? entry.fragments : [entry];
    const pieces = await Promise.all(
      ranges.map((r) => options.store.read(row.frames_blob_key, r.offset, r.length)),
    );
    return Buffer.concat(pieces);
  }

  async function frames(
    request: FastifyRequest,
    reply: FastifyReply,
    p: FramesParams,
  ): Promise<FastifyReply> {
    // the schema lets through only frame numbers from 1
    const wanted = p.frames.split(',').map(Number);
    const [found] = await instancesOf(request, p, false);
    if (!found) throw notFound(p);
    const list = found.frames as FrameEntry[];
    const missing = wanted.filter((n) => n > list.length);
    if (missing.length) {
      throw new AppError(
        'not_found',
        `the instance has ${list.length} frame(s); there is no frame ${missing.join(', ')}`,
      );
    }
    const media = frameMedia(request.headers.accept, found.transfer_syntax_uid);
    const contentType = `${media.mediaType}; transfer-syntax=${media.transferSyntaxUid}`;
    if (!media.decode) {
      const parts = wanted.map((n): StreamedPart => {
        const entry = list[n - 1] ?? { offset: 0, length: 0 };
        return { contentType, size: entry.length, load: () => frameBytes(found, entry) };
      });
      return sendMultipart(reply, media.mediaType, parts);
    }
    // decoding needs the Image Pixel module, which only the instance's metadata holds
    const [row] = await instancesOf(request, p, true);
    const info = row ? imageInfoOf(row.metadata) : null;
    if (!row || !info) {
      throw new AppError(
        'not_acceptable',
        'the instance has no Rows, Columns or Bits Allocated, so its frames cannot be decoded; ask for transfer-syntax=*',
      );
    }
    // decoded before the answer starts, so a frame the codec cannot read is a clear refusal, not a cut-off answer
    const decoded: Buffer[] = [];
    for (const n of wanted) {
      const bytes = await frameBytes(row, list[n - 1] ?? { offset: 0, length: 0 });
      try {
        decoded.push(Buffer.from(await decodeFrame(row.transfer_syntax_uid, bytes, info)));
      } catch (error) {
        if (!(error instanceof DicomError)) throw error;
        request.log.warn({ err: error, frame: n }, 'a stored frame could not be decoded');
        throw new AppError(
          'not_acceptable',
          `frame ${n} could not be decoded (${error.message}); ask for transfer-syntax=* to get it as stored`,
        );
      }
    }
    const parts = decoded.map((body): StreamedPart => ({
      contentType,
      size: body.length,
      load: () => Promise.resolve(body),
    }));
    return sendMultipart(reply, media.mediaType, parts);
  }

  async function bulkdata(
    request: FastifyRequest,
    reply: FastifyReply,
    p: BulkdataParams,
  ): Promise<FastifyReply> {
    if (p.tag.toUpperCase() !== '7FE00010') {
      throw new AppError(
        'not_found',
        `bulk data ${p.tag} is not served; pixel data is at /bulkdata/7FE00010`,
      );
    }
    const [row] = await instancesOf(request, p, false);
    if (!row) throw notFound(p);
    const list = row.frames as FrameEntry[];
    const instance = row;
    const part: StreamedPart = {
      contentType: 'application/octet-stream',
      size: list.reduce((sum, entry) => sum + entry.length, 0),
      load: async () => Buffer.concat(await Promise.all(list.map((entry) => frameBytes(instance, entry)))),
    };
    return sendMultipart(reply, 'application/octet-stream', [part]);
  }

  // a viewer reads a study as many requests: each session's reads of one study are recorded once per 10 minutes
  const audit = (action: string) => ({ audit: { action, resourceType: 'study', coalesceSeconds: 600 } });
  const schema = <P extends TSchema>(summary: string, params: P) => ({ tags: ['dicomweb'], summary, params });
  app.get(
    '/studies/:study',
    { config: audit('dicom.retrieve'), schema: schema('WADO-RS: retrieve a study', StudyParams) },
    (request, reply) => retrieve(request, reply, request.params),
  );
  app.get(
    '/studies/:study/series/:series',
    { config: audit('dicom.retrieve'), schema: schema('WADO-RS: retrieve a series', SeriesParams) },
    (request, reply) => retrieve(request, reply, request.params),
  );
  app.get(
    '/studies/:study/series/:series/instances/:instance',
    { config: audit('dicom.retrieve'), schema: schema('WADO-RS: retrieve an instance', InstanceParams) },
    (request, reply) => retrieve(request, reply, request.params),
  );
  app.get(
    '/studies/:study/metadata',
    { config: audit('dicom.metadata'), schema: schema('WADO-RS: metadata of a study', StudyParams) },
    (request, reply) => metadata(request, reply, request.params),
  );
  app.get(
    '/studies/:study/series/:series/metadata',
    { config: audit('dicom.metadata'), schema: schema('WADO-RS: metadata of a series', SeriesParams) },
    (request, reply) => metadata(request, reply, request.params),
  );
  app.get(
    '/studies/:study/series/:series/instances/:instance/metadata',
    {
      config: audit('dicom.metadata'),
      schema: schema('WADO-RS: metadata of an instance', InstanceParams),
    },
    (request, reply) => metadata(request, reply, request.params),
  );
  app.get(
    '/studies/:study/series/:series/instances/:instance/frames/:frames',
    { config: audit('dicom.frames'), schema: schema('WADO-RS: frames of an instance', FramesParams) },
    (request, reply) => frames(request, reply, request.params),
  );
  app.get(
    '/studies/:study/series/:series/instances/:instance/bulkdata/:tag',
    {
      config: audit('dicom.bulkdata'),
      schema: schema('WADO-RS: bulk data of an instance', BulkdataParams),
    },
    (request, reply) => bulkdata(request, reply, request.params),
  );
};

/** WADO-URI (PS3.18 chapter 9), as cornerstone's image loader asks: the Part 10 file of one instance. */
export const wadoUriRoutes: FastifyPluginAsyncTypebox<WadoOptions> = async (app, options) => {
  app.get(
    '/wado',
    {
      config: { audit: { action: 'dicom.retrieve', resourceType: 'study' } },
      schema: {
        tags: ['dicomweb'],
        summary: 'WADO-URI: the Part 10 file of one instance',
        querystring: WadoUriQuery,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const rows = await app.db.archive.searchInstances(
        actorOf(request),
        conditions({ study: q.studyUID, series: q.seriesUID, instance: q.objectUID }),
        1,
        0,
        false,
      );
      const row = rows[0];
      if (!row) throw new AppError('not_found', `instance ${q.objectUID} was not found`);
      request.auditTrail.resourceId = row.study_instance_uid;
      return reply
        .type('application/dicom')
        .header('content-length', row.size_bytes)
        .send(options.store.stream(row.blob_key));
    },
  );
};
