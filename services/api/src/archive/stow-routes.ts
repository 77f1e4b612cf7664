import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError, StowQuery, StudyParams } from '@telemed/contracts';
import { linkStudy, requirePlatformPermission, requireStudyLinkable } from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';
import { callerOf } from '../plugins/domain.js';
import type { BlobStore } from './blob-store.js';
import { dicomwebBase } from './qido-routes.js';
import { storeParts } from './store-parts.js';
import { readStowContentType } from './stow-content-type.js';
import type { StowItem } from './stow-status.js';

export interface StowOptions {
  store: BlobStore;
  maxInstanceBytes: number;
}

/** The PS3.18 Store Instances response for the parts of one request. */
export function stowResponse(items: StowItem[], baseUrl: string): Record<string, unknown> {
  const stored = items.filter((i): i is Extract<StowItem, { ok: true }> => i.ok);
  const failed = items.filter((i): i is Extract<StowItem, { ok: false }> => !i.ok);
  const ui = (value: string | null): { vr: string; Value?: string[] } =>
    value ? { vr: 'UI', Value: [value] } : { vr: 'UI' };
  const body: Record<string, unknown> = {};
  const studies = new Set(stored.map((i) => i.studyInstanceUid));
  if (studies.size === 1)
    body['00081190'] = { vr: 'UR', Value: [`${baseUrl}/studies/${[...studies][0] ?? ''}`] };
  if (failed.length) {
    body['00081198'] = {
      vr: 'SQ',
      Value: failed.map((f) => ({
        '00081150': ui(f.sopClassUid),
        '00081155': ui(f.sopInstanceUid),
        '00081197': { vr: 'US', Value: [f.failureReason] },
        // ErrorComment of the item: what was wrong, in words
        '00000902': { vr: 'LO', Value: [f.message.slice(0, 1024)] },
      })),
    };
  }
  if (stored.length) {
    body['00081199'] = {
      vr: 'SQ',
      Value: stored.map((s) => ({
        '00081150': ui(s.sopClassUid),
        '00081155': ui(s.sopInstanceUid),
        '00081190': {
          vr: 'UR',
          Value: [`${baseUrl}/studies/${s.studyInstanceUid}/instances/${s.sopInstanceUid}`],
        },
      })),
    };
  }
  return body;
}

/** STOW-RS: POST /dicomweb/studies[/{study}] with multipart/related; type="application/dicom". */
export const stowRoutes: FastifyPluginAsyncTypebox<StowOptions> = async (app, options) => {
  // The body stays a stream: parts are read one at a time, so a study never sits in memory whole.
  app.addContentTypeParser('multipart/related', (_request, payload, done) => {
    done(null, payload);
  });
  // any other body reaches the handler too, so the answer can say what to send instead
  app.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });

  async function store(
    request: FastifyRequest,
    reply: FastifyReply,
    studyInstanceUid: string | null,
    caseId: string | null,
  ): Promise<FastifyReply> {
    const actor = actorOf(request);
    requirePlatformPermission(actor, 'studies.send');
    if (!actor.hospitalId) {
      throw new AppError('county_staff_only', 'studies are sent by the staff of a county hospital');
    }
    if (caseId) {
      // the case must be the sender's to link to: asked before a byte is stored
      await requireStudyLinkable(app.domain, actor, caseId);
    }
    const type = readStowContentType(request.headers['content-type']);
    if (!type.ok) throw new AppError('unsupported_media_type', type.problem);
    const items = await storeParts(request.body as Readable, type.value.boundary, {
      db: app.db,
      store: options.store,
      hospitalId: actor.hospitalId,
      studyInstanceUid,
      maxInstanceBytes: options.maxInstanceBytes,
    });
    if (!items.length) throw new AppError('bad_request', 'the request holds no parts');
    const stored = items.filter((i) => i.ok);
    request.auditTrail.details = {
      stored: stored.length,
      failed: items.length - stored.length,
      studies: [...new Set(stored.map((i) => i.studyInstanceUid))],
    };
    const studies = [...new Set(stored.map((i) => i.studyInstanceUid))];
    if (caseId) {
      if (studies.length > 1) {
        throw new AppError(
          'bad_request',
          'one upload with caseId carries one study; the instances were stored',
        );
      }
      const [study] = studies;
      if (study) {
        await linkStudy(app.domain, callerOf(request), caseId, study);
      }
    }
    const status = stored.length === items.length ? 200 : stored.length ? 202 : 409;
    return reply
      .code(status)
      .type('application/dicom+json')
      .send(stowResponse(items, dicomwebBase(request)));
  }

  const config = { audit: { action: 'dicom.store', resourceType: 'study' } };
  const schema = { tags: ['dicomweb'], summary: 'STOW-RS: store instances', querystring: StowQuery };
  app.post('/studies', { config, schema }, (request, reply) =>
    store(request, reply, null, request.query.caseId ?? null),
  );
  app.post(
    '/studies/:study',
    {
      config,
      schema: { ...schema, summary: 'STOW-RS: store instances of this study', params: StudyParams },
    },
    (request, reply) => store(request, reply, request.params.study, request.query.caseId ?? null),
  );
};
