import httpProxy from '@fastify/http-proxy';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Passes `/consult/*` (the video consult's socket.io signalling, WebSocket and polling) to the video service, so the
 * browser talks to one origin. The video service checks the access token itself; nothing here reads the traffic.
 */
const consultProxy: FastifyPluginAsync<{ upstream: string }> = async (app, { upstream }) => {
  await app.register(httpProxy, {
    upstream,
    prefix: '/consult',
    rewritePrefix: '/consult',
    websocket: true,
  });
};

export default consultProxy;
