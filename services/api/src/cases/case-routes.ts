import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  AssignBody,
  Case,
  CaseComment,
  CaseCreate,
  CaseHistoryEntry,
  CaseListQuery,
  CasePage,
  CommentCreate,
  IdParams,
  Problem,
  ReasonBody,
  ReassignBody,
  Report,
  ReportCreate,
  type CaseAction,
} from '@telemed/contracts';
import { reportAction, type Actor, type TransitionOptions } from '@telemed/db';
import { actorOf } from '../plugins/auth.js';
import { authorizeCaseAction } from './case-permissions.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const caseAudit = (action: string): { action: string; resourceType: string } => ({
  action,
  resourceType: 'case',
});

/** Cases: create, list, read, the state machine's actions, history, comments and reports. */
export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { roles: ['technician'], audit: caseAudit('case.create') },
      schema: {
        tags: ['cases'],
        summary: 'Open a consultation case (draft) for a patient of your hospital',
        body: CaseCreate,
        response: { 201: Case, ...errors },
      },
    },
    async (request, reply) => {
      const created = await app.db.transaction((tx) =>
        tx.cases.create(actorOf(request), request.body, request.origin),
      );
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
      const page = await app.db.cases.list(actorOf(request), request.query);
      request.auditTrail.details = { caseIds: page.items.map((c) => c.id), filters: request.query };
      return page;
    },
  );

  app.get(
    '/:id',
    {
      config: { audit: caseAudit('case.read') },
      schema: { tags: ['cases'], summary: 'One case', params: IdParams, response: { 200: Case, ...errors } },
    },
    async (request) => {
      const found = await app.db.cases.get(actorOf(request), request.params.id);
      request.auditTrail.hospitalId = found.requestingHospitalId;
      return found;
    },
  );

  /** A route that performs one state-machine action, its body turned into transition options. */
  function transitionRoute(
    path: string,
    action: CaseAction | ((body: never) => CaseAction),
    summary: string,
    body: TSchema | null,
    toOptions: (body: never) => Partial<TransitionOptions> = () => ({}),
  ): void {
    const name = typeof action === 'string' ? action : 'report';
    app.post(
      `/:id/${path}`,
      {
        config: { audit: caseAudit(`case.${name}`) },
        schema: {
          tags: ['cases'],
          summary,
          params: IdParams,
          ...(body ? { body } : {}),
          response: { 200: Case, ...errors },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const input = (request.body ?? {}) as never;
        const act = typeof action === 'string' ? action : action(input);
        const updated = await app.db.transaction((tx) =>
          tx.cases.transition(actor, request.params.id, act, {
            ...toOptions(input),
            origin: request.origin,
            authorize: (facts) => {
              authorizeCaseAction(actor, act, facts);
            },
          }),
        );
        request.auditTrail.recorded = true;
        await app.queues.followUp(updated, request.id);
        return updated;
      },
    );
  }

  transitionRoute('submit', 'submit', 'Send the case to the partnered city department', null);
  transitionRoute(
    'assign',
    'assign',
    'Assign the case to a specialist (administrators)',
    AssignBody,
    (b: AssignBody) => ({
      specialistId: b.specialistId,
    }),
  );
  transitionRoute('claim', 'claim', "Take a submitted case from your department's pool", null);
  transitionRoute('start-review', 'start_review', 'Start reading the case (assigned specialist)', null);
  transitionRoute('cancel', 'cancel', 'Cancel the case, with a reason', ReasonBody, (b: ReasonBody) => ({
    reason: b.reason,
  }));
  transitionRoute(
    'reassign',
    'reassign',
    'Give the case back to the pool, or to another specialist, with a reason',
    ReassignBody,
    (b: ReassignBody) => ({ reason: b.reason, specialistId: b.specialistId ?? null }),
  );
  transitionRoute(
    'reports',
    (b: ReportCreate) => reportAction(b.kind),
    'Write a report: preliminary, final, or an addendum to a final report (assigned specialist)',
    ReportCreate,
    (b: ReportCreate) => ({ report: b }),
  );

  /** A read of one part of a case, audited like the case itself. */
  function partRoute<T extends TSchema>(
    part: 'reports' | 'history' | 'comments',
    summary: string,
    item: T,
    read: (actor: Actor, id: string) => Promise<Static<T>[]>,
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
      async (request) => read(actorOf(request), request.params.id),
    );
  }

  partRoute('reports', 'Every report version', Report, (actor, id) => app.db.cases.reports(actor, id));
  partRoute('history', 'Every state change, oldest first', CaseHistoryEntry, (actor, id) =>
    app.db.cases.history(actor, id),
  );
  partRoute('comments', 'The comment thread, oldest first', CaseComment, (actor, id) =>
    app.db.cases.comments(actor, id),
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
      const comment = await app.db.transaction((tx) =>
        tx.cases.addComment(actorOf(request), request.params.id, request.body.body, request.origin),
      );
      request.auditTrail.recorded = true;
      return reply.code(201).send(comment);
    },
  );
};
