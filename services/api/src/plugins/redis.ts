import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

export interface RedisOptions {
  url: string;
  keyPrefix: string;
}

/** One Redis connection for rate limits and, later, queues and the socket.io adapter; closed with the app. */
export default fp<RedisOptions>(
  async (app, options) => {
    const redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    });
    redis.on('error', (error: Error) => {
      app.log.warn({ err: error }, 'redis connection error');
    });
    await redis.connect();
    app.decorate('redis', redis);
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => {
        redis.disconnect();
      });
    });
  },
  { name: 'redis' },
);
