import { runService } from '@telemed/runtime';
import { loadConfig } from './config.js';
import { startGateway } from './gateway.js';

await runService({
  name: 'gateway',
  loadConfig: () => loadConfig(),
  logLevel: (config) => config.GATEWAY_LOG_LEVEL,
  closeDelayMs: 15_000,
  start: (config, log) => startGateway(config, log),
  listening: (gateway, config) => ({
    message: 'gateway listening for DICOM associations',
    details: {
      host: config.GATEWAY_HOST,
      port: gateway.dimsePort,
      aeTitle: config.GATEWAY_AE_TITLE,
      spool: config.GATEWAY_SPOOL_DIR,
      api: config.GATEWAY_API_URL,
      nodeEnv: config.NODE_ENV,
    },
  }),
});
