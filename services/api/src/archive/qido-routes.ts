import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QidoQuery, SeriesParams, StudyParams } from '@telemed/contracts';
import type { MatchCondition } from '@telemed/db';
import { actorOf } from '../plugins/auth.js';
import { instanceJson, seriesJson, studyJson } from './dicomweb-json.js';
import { parseQido, type Level } from './qido-query.js';

/** The base URL DICOMweb answers use in RetrieveURL and BulkDataURI. */
export function dicomwebBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/dicomweb`;
}

/** The study and series a search path names. */
interface PathUids {
  study?: string;
  series?: string;
}

function pathConditions(params: PathUids): MatchCondition[] {
  const out: MatchCondition[] = [];
  if (params.study) out.push({ column: 'StudyInstanceUID', op: 'anyOf', values: [params.study] });
  if (params.series) out.push({ column: 'SeriesInstanceUID', op: 'anyOf', values: [params.series] });
  return out;
}

// PS3.18 8.3.4.4: the words a client looks for when the origin server's limit, not the client's, ended the answer
const MORE_RESULTS = '299 telemed: "There are additional results that can be requested"';

function send(reply: FastifyReply, body: unknown[], fuzzyRefused: boolean, more: boolean): FastifyReply {
  const warnings: string[] = [];
  if (fuzzyRefused) warnings.push('299 telemed "fuzzy matching is not offered; matching was exact"');
  if (more) warnings.push(MORE_RESULTS);
  if (warnings.length) reply.header('warning', warnings.join(', '));
  // PS3.18: a search with no match answers 204 No Content
  if (!body.length) return reply.code(204).send();
  return reply.type('application/dicom+json').send(body);
}

/** QIDO-RS: search studies, series and instances from the index; never reads a DICOM file. */
export const qidoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function search(
    level: Level,
    request: FastifyRequest,
    reply: FastifyReply,
    query: QidoQuery,
    path: PathUids,
  ): Promise<FastifyReply> {
    const actor = actorOf(request);
    const q = parseQido(level, query);
    const conditions = [...pathConditions(path), ...q.conditions];
    const include = q.includeAll ? 'all' : q.includeFields;
    const base = dicomwebBase(request);
    // one more than the default limit, to know whether the default cut the answer short
    const rowsWanted = q.limitDefaulted ? q.limit + 1 : q.limit;
    let body: unknown[];
    if (level === 'study') {
      body = (await app.db.archive.searchStudies(actor, conditions, rowsWanted, q.offset)).map((r) =>
        studyJson(r, base, include),
      );
    } else if (level === 'series') {
      body = (await app.db.archive.searchSeries(actor, conditions, rowsWanted, q.offset)).map((r) =>
        seriesJson(r, base, include),
      );
    } else {
      const rows = await app.db.archive.searchInstances(actor, conditions, rowsWanted, q.offset, true);
      body = rows.map((r) => instanceJson(r, base, include));
    }
    const more = body.length > q.limit;
    if (more) body = body.slice(0, q.limit);
    request.auditTrail.details = { level, matches: body.length, query };
    return send(reply, body, q.fuzzyRefused, more);
  }

  const config = { audit: { action: 'dicom.search', resourceType: 'study' } };
  const schema = (summary: string) => ({
    tags: ['dicomweb'],
    summary,
    description:
      'Besides limit, offset, includefield and fuzzymatching, any attribute this level indexes is a matching key, ' +
      'named by keyword or tag: PatientName=张*, 00100020=QC0001, StudyDate=20260101-20261231, ' +
      'StudyInstanceUID=1.2.3,1.2.4. A key the level cannot match on is answered 400 with the keys it can.',
    querystring: QidoQuery,
  });
  app.get('/studies', { config, schema: schema('QIDO-RS: search studies') }, (request, reply) =>
    search('study', request, reply, request.query, {}),
  );
  app.get('/series', { config, schema: schema('QIDO-RS: search series') }, (request, reply) =>
    search('series', request, reply, request.query, {}),
  );
  app.get('/instances', { config, schema: schema('QIDO-RS: search instances') }, (request, reply) =>
    search('instance', request, reply, request.query, {}),
  );
  app.get(
    '/studies/:study/series',
    { config, schema: { ...schema('QIDO-RS: search the series of a study'), params: StudyParams } },
    (request, reply) => search('series', request, reply, request.query, request.params),
  );
  app.get(
    '/studies/:study/instances',
    { config, schema: { ...schema('QIDO-RS: search the instances of a study'), params: StudyParams } },
    (request, reply) => search('instance', request, reply, request.query, request.params),
  );
  app.get(
    '/studies/:study/series/:series/instances',
    { config, schema: { ...schema('QIDO-RS: search the instances of a series'), params: SeriesParams } },
    (request, reply) => search('instance', request, reply, request.query, request.params),
  );
};
