import { runService } from '@telemed/runtime';
import { loadVideoConfig, workerCount } from './config.js';
import { VideoService } from './video.js';

await runService({
  name: 'video',
  loadConfig: () => loadVideoConfig(),
  logLevel: (config) => config.LOG_LEVEL,
  // SIGTERM: the calls under way end; browsers see the socket close and say so
  closeDelayMs: 10_000,
  start: (config, log) => VideoService.start(config, log),
  listening: (service, config) => ({
    message: 'video listening',
    details: { port: service.port, workers: workerCount(config), listenIp: config.VIDEO_LISTEN_IP },
  }),
});
