import closeWithGrace from 'close-with-grace';
import { pino, type Logger } from 'pino';
import { ConfigError } from './config.js';

/** A started service: whatever it holds open, closed once on shutdown. */
export interface RunningService {
  close(): Promise<void>;
}

/** How one service process starts, says it is ready and stops. */
export interface ServiceDefinition<C, S extends RunningService> {
  /** the logger's `name` and the prefix of a configuration error */
  name: string;
  /** reads and validates the environment; a `ConfigError` stops the process with its message */
  loadConfig: () => C;
  logLevel: (config: C) => string;
  /** how long the work under way may take to finish after SIGTERM or SIGINT before the process exits anyway */
  closeDelayMs: number;
  start: (config: C, log: Logger) => Promise<S>;
  /** the log line that says the service is up, with what an operator needs to reach it */
  listening: (service: S, config: C) => { message: string; details: Record<string, unknown> };
}

/** The logger every service uses: JSON lines, credentials in request headers never written. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}

/**
 * Runs a service as its process: validates the configuration (exit 1 with every problem named), starts it, logs
 * that it listens, and on SIGTERM or SIGINT closes it, giving the work under way `closeDelayMs` before exiting with
 * 1. An uncaught exception or unhandled rejection is logged and closes the service the same way (exit 1); a second
 * signal exits at once.
 */
export async function runService<C, S extends RunningService>(
  definition: ServiceDefinition<C, S>,
): Promise<S> {
  let config: C;
  try {
    config = definition.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${definition.name}: ${error.message}\n`);
    process.exit(1);
  }
  const log = createLogger(definition.name, definition.logLevel(config));
  const started = definition.start(config, log);
  closeWithGrace(
    {
      delay: definition.closeDelayMs,
      logger: {
        error: (message: unknown) => {
          log.error(message);
        },
      },
      onTimeout: (delay) => {
        log.error({ delay }, 'shutdown took too long; exiting with work unfinished');
      },
    },
    async ({ signal, err }) => {
      if (err) log.error({ err }, 'shutting down after an error');
      else log.info({ signal }, 'shutting down');
      // a signal during start-up waits for it, then closes what it opened
      const service = await started.catch(() => undefined);
      await service?.close();
    },
  );
  let service: S;
  try {
    service = await started;
  } catch (error) {
    log.fatal({ err: error }, `${definition.name} could not start`);
    process.exit(1);
  }
  const { message, details } = definition.listening(service, config);
  log.info(details, message);
  return service;
}
