import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { UploadQuery, UploadParams, type AuditOutcome } from '@telemed/contracts';
import { platformRefusal } from '@telemed/domain';
import type { Actor, RequestOrigin } from '@telemed/db';
import type { BlobStore } from './blob-store.js';
import { ingestInstance, type IngestContext } from './ingest.js';
import { storeParts } from './store-parts.js';
import { STOW_CONTENT_TYPE, readStowContentType } from './stow-content-type.js';
import { stowResponse } from './stow-routes.js';
import type { StowItem } from './stow-status.js';

export interface UploadOptions {
  store: BlobStore;
  uploadDir: string;
  maxInstanceBytes: number;
  maxUploadBytes: number;
}

/** What tus hooks throw to answer the client with a status and a message (tus reads these two fields). */
class TusRefusal extends Error {
  readonly status_code: number;
  readonly body: string;

  constructor(status: number, message: string) {
    super(message);
    this.status_code = status;
    this.body = `${message}\n`;
  }
}

function refuse(status: number, message: string): TusRefusal {
  return new TusRefusal(status, message);
}

/**
 * Resumable uploads over the tus protocol (tus.io, 1.0: creation, termination, expiration) for browsers and the
 * gateway on slow links: an upload broken off continues from the offset the server reports. Each upload is one
 * Part 10 file (`filetype: application/dicom`) or a whole STOW-RS body (`filetype: multipart/related; boundary=…`);
 * when the last byte arrives it is checked against the `sha256` metadata, if given, and stored as STOW-RS would, and
 * the final PATCH answers with the STOW-RS response.
 */
export const uploadRoutes: FastifyPluginAsync<UploadOptions> = async (app, options) => {
  // the actor and origin of each raw request, as the api saw them; tus hooks see only a web Request wrapping it
  const callers = new WeakMap<IncomingMessage, { actor: Actor; origin: RequestOrigin }>();
  const datastore = new FileStore({
    directory: options.uploadDir,
    expirationPeriodInMilliseconds: 48 * 3_600_000,
  });
  const callerOf = (req: {
    runtime?: { node?: { req: unknown } };
  }): { actor: Actor; origin: RequestOrigin } | undefined =>
    callers.get(req.runtime?.node?.req as IncomingMessage);
  const actorOfRequest = (req: { runtime?: { node?: { req: unknown } } }): Actor | undefined =>
    callerOf(req)?.actor;

  const tus = new Server({
    path: '/dicomweb/uploads',
    datastore,
    maxSize: options.maxUploadBytes,
    respectForwardedHeaders: false,
    async onUploadCreate(req, upload) {
      const actor = actorOfRequest(req);
      const refusal = actor ? platformRefusal(actor.role, 'studies.send') : 'sign in first';
      if (refusal || !actor?.hospitalId) {
        throw refuse(403, refusal ?? 'studies are sent by the staff of a county hospital');
      }
      const filetype = upload.metadata?.filetype ?? '';
      if (!filetype) {
        throw refuse(
          400,
          `set Upload-Metadata filetype to application/dicom, or to ${STOW_CONTENT_TYPE} for a whole STOW-RS body`,
        );
      }
      if (filetype !== 'application/dicom') {
        const type = readStowContentType(filetype);
        if (!type.ok) throw refuse(400, `Upload-Metadata filetype: ${type.problem}, or application/dicom`);
      }
      const sha = upload.metadata?.sha256;
      if (sha && !/^[0-9a-f]{64}$/.test(sha))
        throw refuse(400, 'the sha256 metadata must be 64 lower-case hex digits');
      return { metadata: { ...upload.metadata, ownerId: actor.userId, hospitalId: actor.hospitalId } };
    },
    async onIncomingRequest(req, uploadId) {
      const actor = actorOfRequest(req);
      if (!actor) throw refuse(401, 'sign in first');
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      const upload = await datastore.getUpload(uploadId).catch(() => null);
      // another person's upload does not exist for you
      if (upload?.metadata?.ownerId !== actor.userId) throw refuse(404, `upload ${uploadId} was not found`);
    },
    async onUploadFinish(req, upload) {
      const caller = callerOf(req);
      const hospitalId = upload.metadata?.hospitalId;
      if (!caller || !hospitalId) throw refuse(401, 'sign in first');
      const record = (outcome: AuditOutcome, resourceId: string | null, details: Record<string, unknown>) =>
        app.db.audit.record({
          actor: caller.actor,
          action: 'dicom.store',
          resourceType: 'study',
          resourceId,
          hospitalId,
          outcome,
          origin: caller.origin,
          details: { upload: upload.id, ...details },
        });
      let items: StowItem[];
      try {
        items = await finish(upload, {
          db: app.db,
          store: options.store,
          hospitalId,
          studyInstanceUid: null,
          maxInstanceBytes: options.maxInstanceBytes,
        });
      } catch (error) {
        // a finish that fails is recorded too: what was refused (a checksum that does not match) or broke
        const refused = error instanceof TusRefusal;
        await record(refused ? 'invalid' : 'error', null, {
          reason: refused ? error.message : 'the upload could not be stored',
        }).catch((auditError: unknown) => {
          app.log.error({ err: auditError }, 'a failed upload could not be recorded in the audit trail');
        });
        throw error;
      }
      await datastore.remove(upload.id).catch(() => undefined);
      const stored = items.filter((i) => i.ok);
      await record(stored.length ? 'success' : 'invalid', stored[0]?.ok ? stored[0].studyInstanceUid : null, {
        stored: stored.length,
        failed: items.length - stored.length,
      });
      const url = new URL(req.url);
      return {
        status_code: stored.length === items.length ? 200 : stored.length ? 202 : 409,
        headers: { 'Content-Type': 'application/dicom+json' },
        body: JSON.stringify(stowResponse(items, `${url.protocol}//${url.host}/dicomweb`)),
      };
    },
  });

  async function finish(upload: Upload, ctx: IngestContext): Promise<StowItem[]> {
    const path = join(options.uploadDir, upload.id);
    const expected = upload.metadata?.sha256;
    if (expected) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      if (hash.digest('hex') !== expected) {
        await datastore.remove(upload.id).catch(() => undefined);
        throw refuse(
          460,
          'the uploaded bytes do not match their sha256; the upload was discarded, send it again',
        );
      }
    }
    const filetype = upload.metadata?.filetype ?? '';
    if (filetype !== 'application/dicom') {
      const multipart = readStowContentType(filetype);
      // checked when the upload was created
      if (!multipart.ok) throw refuse(400, multipart.problem);
      return storeParts(createReadStream(path), multipart.value.boundary, ctx);
    }
    if ((upload.size ?? 0) > options.maxInstanceBytes) {
      return [
        {
          ok: false,
          sopClassUid: null,
          sopInstanceUid: null,
          failureReason: 0xa700,
          message: `the file is over the ${options.maxInstanceBytes}-byte limit per instance`,
        },
      ];
    }
    return [await ingestInstance(await readFile(path), ctx)];
  }

  // tus reads the body itself
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => {
    done(null);
  });
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.actor) callers.set(request.raw, { actor: request.actor, origin: request.origin });
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  const methods = ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'];
  const description =
    'tus 1.0 (creation, termination, expiration): POST creates an upload, PATCH sends bytes from Upload-Offset, ' +
    'HEAD tells the offset reached, DELETE discards. The PATCH that completes it answers as STOW-RS.';
  app.route({
    method: methods,
    url: '/dicomweb/uploads',
    schema: {
      tags: ['dicomweb'],
      summary: 'Resumable upload: create (tus)',
      description,
      querystring: UploadQuery,
    },
    handler,
  });
  app.route({
    method: methods,
    url: '/dicomweb/uploads/:id',
    schema: {
      tags: ['dicomweb'],
      summary: 'Resumable upload: send, resume, discard (tus)',
      description,
      params: UploadParams,
      querystring: UploadQuery,
    },
    handler,
  });
};
