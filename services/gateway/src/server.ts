import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startGateway } from './gateway.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = configOrExit();
const log = pino({ name: 'gateway', level: config.GATEWAY_LOG_LEVEL });
const gateway = await startGateway(config, log);

closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'shutting down after an error');
  else log.info({ signal }, 'shutting down');
  await gateway.close();
});

log.info(
  {
    host: config.GATEWAY_HOST,
    port: gateway.dimsePort,
    aeTitle: config.GATEWAY_AE_TITLE,
    spool: config.GATEWAY_SPOOL_DIR,
    api: config.GATEWAY_API_URL,
  },
  'gateway listening for DICOM associations',
);
