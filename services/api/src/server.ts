import { runService } from '@telemed/runtime';
import { buildApp } from './app.js';
import { prepareDatabase } from './boot.js';
import { loadConfig } from './config.js';

await runService({
  name: 'api',
  loadConfig: () => loadConfig(),
  logLevel: (config) => config.LOG_LEVEL,
  closeDelayMs: 10_000,
  start: async (config, log) => {
    // the schema must be current before the app's background work (the study-stability sweep) starts
    await prepareDatabase(config, log);
    const app = await buildApp(config, log);
    await app.listen({ host: config.HOST, port: config.PORT });
    return app;
  },
  listening: (app, config) => {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    return { message: 'api listening', details: { host: config.HOST, port, nodeEnv: config.NODE_ENV } };
  },
});
