import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';

export interface WebAppOptions {
  /** the built app's folder; null: the workspace's `web/dist` */
  dir: string | null;
}

// What the api answers itself: never the app's page, whatever the path.
const API_PREFIXES = [
  '/api',
  '/dicomweb',
  '/wado',
  '/docs',
  '/admin/queues',
  '/socket.io',
  '/healthz',
  '/readyz',
  '/metrics',
];

/**
 * The browser app from the api's own origin: its files as they are, and its page for every other GET path, so a deep
 * link (`/cases/{id}`, `/upload`, `/admin`) opens the app there. Paths of the api keep their own answers and 404s.
 */
export default fp<WebAppOptions>(
  async (app, options) => {
    const dir = options.dir ?? fileURLToPath(new URL('../../../../web/dist', import.meta.url));
    if (!existsSync(`${dir}/index.html`)) {
      app.log.warn({ dir }, 'the web app is not built (pnpm build builds it); serving the api alone');
      return;
    }
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: false,
      index: false,
      // the build writes a .br and a .gz beside each file: a county PC on a slow link gets the smallest it accepts
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, path) {
        // file names under assets/ carry a hash of their content: they never change, so they are kept for a year
        if (/[\\/]assets[\\/]/.test(path))
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) {
        reply.callNotFound();
        return reply;
      }
      // the page itself is never cached: a new release is picked up on the next visit
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  },
  { name: 'web-app' },
);
