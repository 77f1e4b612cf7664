import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  AppError,
  ERROR_STATUS,
  type ErrorCode,
  type FieldError,
  type Problem,
  type ProblemParams,
  type Refusal,
} from '@telemed/contracts';
import { fieldErrors } from './validation.js';

const PROBLEM_TYPE = 'https://telemed.invalid/problems/';

/**
 * Sends an RFC 9457 problem; `reason` and `params` let a client say it in its user's language, and the English
 * `detail` stays for those that do not.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  more: {
    errors?: FieldError[] | undefined;
    reason?: Refusal | undefined;
    params?: ProblemParams | undefined;
  } = {},
): FastifyReply {
  const { errors, reason, params } = more;
  const status = ERROR_STATUS[code];
  const body: Problem = {
    type: PROBLEM_TYPE + code,
    title: code.replaceAll('_', ' '),
    status,
    detail,
    code,
    ...(reason ? { reason } : {}),
    ...(params ? { params } : {}),
    instance: request.url.split('?')[0] ?? request.url,
    ...(errors?.length ? { errors } : {}),
  };
  return reply.code(status).type('application/problem+json; charset=utf-8').send(body);
}

// Fastify's own errors that are the client's doing, and what to tell them.
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'payload_too_large',
    detail: 'the request body is larger than allowed; send less',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: 'send the body as application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'bad_request', detail: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'bad_request', detail: 'the body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'bad_request',
    detail: 'Content-Length does not match the body',
  },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'unsupported_media_type', detail: 'set Content-Type: application/json' },
};

/** One error handler for the whole app: problem+json for everything, and nothing internal in a 5xx. */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        return sendProblem(request, reply, error.code, error.message, {
          errors: error.errors,
          reason: error.reason,
          params: error.params,
        });
      }
      if (error.validation) {
        const part = error.validationContext ?? 'body';
        const errors = fieldErrors(error.validation as Parameters<typeof fieldErrors>[0], part);
        return sendProblem(
          request,
          reply,
          'validation_failed',
          `the ${part} is not valid: fix the listed fields`,
          { errors },
        );
      }
      const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
      if (known) return sendProblem(request, reply, known.code, known.detail);
      if (error.statusCode === 429) return sendProblem(request, reply, 'rate_limited', error.message);
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return sendProblem(request, reply, 'bad_request', error.message);
      }
      request.log.error({ err: error }, 'request failed');
      return sendProblem(
        request,
        reply,
        'internal',
        `something went wrong on our side; nothing was changed. Quote reference ${request.id} to support`,
        { params: { reference: request.id } },
      );
    });

    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        request,
        reply,
        'not_found',
        `there is no ${request.method} ${request.url.split('?')[0] ?? ''}`,
      ),
    );
  },
  { name: 'errors' },
);
