import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { MatchCondition } from '@telemed/db';
import { actorOf } from '../plugins/auth.js';
import { instanceJson, seriesJson, studyJson } from './dicomweb-json.js';
import { parseQido, type Level } from './qido-query.js';

/** The base URL DICOMweb answers use in RetrieveURL and BulkDataURI. */
export function dicomwebBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/dicomweb`;
}

type Params = { study?: string; series?: string };

function pathConditions(params: Params): MatchCondition[] {
  const out: MatchCondition[] = [];
  if (params.study) out.push({ column: 'StudyInstanceUID', op: 'anyOf', values: [params.study] });
  if (params.series) out.push({ column: 'SeriesInstanceUID', op: 'anyOf', values: [params.series] });
  return out;
}

function send(reply: FastifyReply, body: unknown[], fuzzyRefused: boolean): FastifyReply {
  if (fuzzyRefused)
    reply.header('warning', '299 telemed "fuzzy matching is not offered; matching was exact"');
  // PS3.18: a search with no match answers 204 No Content
  if (!body.length) return reply.code(204).send();
  return reply.type('application/dicom+json').send(body);
}

/** QIDO-RS: search studies, series and instances from the index; never reads a DICOM file. */
export const qidoRoutes: FastifyPluginAsync = async (app) => {
  const search = (level: Level) => async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = actorOf(request);
    const q = parseQido(level, request.query as Record<string, string>);
    const conditions = [...pathConditions(request.params as Params), ...q.conditions];
    const include = q.includeAll ? 'all' : q.includeFields;
    const base = dicomwebBase(request);
    let body: unknown[];
    if (level === 'study') {
      body = (await app.db.archive.searchStudies(actor, conditions, q.limit, q.offset)).map((r) =>
        studyJson(r, base, include),
      );
    } else if (level === 'series') {
      body = (await app.db.archive.searchSeries(actor, conditions, q.limit, q.offset)).map((r) =>
        seriesJson(r, base, include),
      );
    } else {
      const rows = await app.db.archive.searchInstances(actor, conditions, q.limit, q.offset, true);
      body = rows.map((r) => instanceJson(r, base, include));
    }
    request.auditTrail.details = { level, matches: body.length, query: request.query };
    return send(reply, body, q.fuzzyRefused);
  };

  const audit = { audit: { action: 'dicom.search', resourceType: 'study' } };
  const schema = { tags: ['dicomweb'] };
  app.get(
    '/studies',
    { config: audit, schema: { ...schema, summary: 'QIDO-RS: search studies' } },
    search('study'),
  );
  app.get('/series', { config: audit, schema }, search('series'));
  app.get('/instances', { config: audit, schema }, search('instance'));
  app.get('/studies/:study/series', { config: audit, schema }, search('series'));
  app.get('/studies/:study/instances', { config: audit, schema }, search('instance'));
  app.get('/studies/:study/series/:series/instances', { config: audit, schema }, search('instance'));
};
