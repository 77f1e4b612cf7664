import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  AssignBody,
  Case,
  CaseComment,
  CaseDetail,
  CaseCreate,
  CaseHistoryEntry,
  CaseListQuery,
  CasePage,
  CommentCreate,
  IdParams,
  PatientChange,
  PriorStudy,
  Problem,
  ReasonBody,
  ReassignBody,
  Report,
  ReportCreate,
  ReleaseBody,
} from '@telemed/contracts';
import type { Actor } from '@telemed/db';
import {
  assignCase,
  cancelCase,
  caseComments,
  caseHistory,
  casePriors,
  casePriorStudies,
  caseReports,
  claimCase,
  commentOnCase,
  getCaseDetail,
  listCases,
  openCase,
  patientChanges,
  reassignCase,
  releaseCase,
  reportSheet,
  startReview,
  submitCase,
  writeReport,
  type Caller,
  type Domain,
} from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';
import { callerOf } from '../plugins/domain.js';
import { renderReportPdf } from './report-pdf.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const caseAudit = (action: string): { action: string; resourceType: string } => ({
  action,
  resourceType: 'case',
});

/** Cases: create, list, read, the state machine's actions, history, comments and reports. Each calls a use case. */
export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { audit: caseAudit('case.create') },
      schema: {
        tags: ['cases'],
        summary: 'Open a consultation case (draft) for a patient of your hospital',
        body: CaseCreate,
        response: { 201: Case, ...errors },
      },
    },
    async (request, reply) => {
      const created = await openCase(app.domain, callerOf(request), request.body);
      request.auditTrail.recorded = true;
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/',
    {
      config: { audit: caseAudit('case.list') },
      schema: {
        tags: ['cases'],
        summary: 'Cases you may see, newest first',
        querystring: CaseListQuery,
        response: { 200: CasePage, ...errors },
      },
    },
    async (request) => {
      const page = await listCases(app.domain, actorOf(request), request.query);
      request.auditTrail.details = { caseIds: page.items.map((c) => c.id), filters: request.query };
      return page;
    },
  );

  app.get(
    '/:id',
    {
      config: { audit: caseAudit('case.read') },
      schema: {
        tags: ['cases'],
        summary:
          'One case, with its image-quality ratings, its latest critical finding and its second opinions',
        params: IdParams,
        response: { 200: CaseDetail, ...errors },
      },
    },
    async (request) => {
      const found = await getCaseDetail(app.domain, actorOf(request), request.params.id);
      request.auditTrail.hospitalId = found.requestingHospitalId;
      return found;
    },
  );

  /** A route that performs one state-machine action through its use case, which writes the audit event. */
  function actionRoute<B extends TSchema | null>(
    path: string,
    audit: string,
    summary: string,
    body: B,
    run: (
      domain: Domain,
      caller: Caller,
      id: string,
      body: B extends TSchema ? Static<B> : null,
    ) => Promise<Case>,
  ): void {
    app.post(
      `/:id/${path}`,
      {
        config: { audit: caseAudit(`case.${audit}`) },
        schema: {
          tags: ['cases'],
          summary,
          params: IdParams,
          ...(body ? { body } : {}),
          response: { 200: Case, ...errors },
        },
      },
      async (request) => {
        const input = (request.body ?? null) as B extends TSchema ? Static<B> : null;
        const updated = await run(app.domain, callerOf(request), request.params.id, input);
        request.auditTrail.recorded = true;
        return updated;
      },
    );
  }

  actionRoute('submit', 'submit', 'Send the case to the partnered city department', null, (d, c, id) =>
    submitCase(d, c, id),
  );
  actionRoute(
    'assign',
    'assign',
    'Assign the case to a specialist (administrators)',
    AssignBody,
    (d, c, id, b) => assignCase(d, c, id, b.specialistId),
  );
  actionRoute('claim', 'claim', "Take a submitted case from your department's pool", null, (d, c, id) =>
    claimCase(d, c, id),
  );
  actionRoute(
    'start-review',
    'start_review',
    'Start reading the case (assigned specialist)',
    null,
    (d, c, id) => startReview(d, c, id),
  );
  actionRoute('cancel', 'cancel', 'Cancel the case, with a reason', ReasonBody, (d, c, id, b) =>
    cancelCase(d, c, id, b.reason),
  );
  actionRoute(
    'reassign',
    'reassign',
    'Give the case back to the pool, or to another specialist of its own or a partnered department, with a reason',
    ReassignBody,
    (d, c, id, b) => reassignCase(d, c, id, { reason: b.reason, specialistId: b.specialistId ?? null }),
  );
  actionRoute(
    'release',
    'release',
    "Hand the case back to your department's pool before reporting, optionally saying why (assigned specialist)",
    ReleaseBody,
    (d, c, id, b) => releaseCase(d, c, id, b.reason ?? ''),
  );
  actionRoute(
    'reports',
    'report',
    'Write a report: preliminary, final (locked from then on), or an addendum to a final report with its reason (assigned specialist)',
    ReportCreate,
    (d, c, id, b) => writeReport(d, c, id, b),
  );

  /** A read of one part of a case, audited like the case itself. */
  function partRoute<T extends TSchema>(
    part: 'reports' | 'history' | 'comments' | 'patient-changes' | 'priors' | 'prior-studies',
    summary: string,
    item: T,
    read: (domain: Domain, actor: Actor, id: string) => Promise<Static<T>[]>,
  ): void {
    app.get(
      `/:id/${part}`,
      {
        config: { audit: caseAudit(`case.${part}.read`) },
        schema: {
          tags: ['cases'],
          summary,
          params: IdParams,
          response: { 200: Type.Array(item), ...errors },
        },
      },
      async (request) => read(app.domain, actorOf(request), request.params.id),
    );
  }

  partRoute('reports', 'Every report version', Report, caseReports);
  partRoute('history', 'Every state change, oldest first', CaseHistoryEntry, caseHistory);
  partRoute('comments', 'The comment thread, oldest first', CaseComment, caseComments);
  partRoute(
    'priors',
    "The same patient's other cases you may see, newest first, with their studies",
    Case,
    casePriors,
  );
  partRoute(
    'prior-studies',
    "The archived studies of the same patient's other cases you may see, newest first: what the viewer opens beside this one",
    PriorStudy,
    casePriorStudies,
  );
  partRoute(
    'patient-changes',
    "Every correction of the patient's name, sex or birth date, who made it and when, oldest first",
    PatientChange,
    patientChanges,
  );

  app.post(
    '/:id/comments',
    {
      config: { audit: caseAudit('case.comment') },
      schema: {
        tags: ['cases'],
        summary: 'Add to the comment thread',
        params: IdParams,
        body: CommentCreate,
        response: { 201: CaseComment, ...errors },
      },
    },
    async (request, reply) => {
      const comment = await commentOnCase(
        app.domain,
        callerOf(request),
        request.params.id,
        request.body.body,
      );
      request.auditTrail.recorded = true;
      return reply.code(201).send(comment);
    },
  );

  app.get(
    '/:id/report.pdf',
    {
      config: { audit: caseAudit('case.report.print') },
      schema: {
        tags: ['cases'],
        summary: 'The latest report version as a printable PDF (404 while the case has no report)',
        params: IdParams,
        produces: ['application/pdf'],
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const sheet = await reportSheet(app.domain, actorOf(request), request.params.id);
      request.auditTrail.hospitalId = sheet.case.requestingHospitalId;
      request.auditTrail.details = { reportVersion: sheet.report.version };
      const pdf = await renderReportPdf(sheet);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="report-${sheet.case.id}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
};
