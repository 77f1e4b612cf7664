import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Notification, NotificationIdParams, NotificationListQuery, Problem } from '@telemed/contracts';
import { actorOf } from '../plugins/auth.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

/** Your notifications: what socket.io delivered live, kept until read, listed again at the next sign-in. */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first',
        querystring: NotificationListQuery,
        response: { 200: Type.Array(Notification), ...errors },
      },
    },
    async (request) => app.db.notifications.list(actorOf(request).userId, request.query),
  );
  app.post(
    '/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of your notifications read',
        params: NotificationIdParams,
        response: { 200: Notification, ...errors },
      },
    },
    async (request) => app.db.notifications.markRead(actorOf(request).userId, request.params.id),
  );
};
