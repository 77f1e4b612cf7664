/**
 * A service run by `runService` for the boot tests; `FIXTURE_MODE` picks how it misbehaves:
 * `ok` starts and closes, `slow-close` never finishes closing, `crash` throws an uncaught error once listening,
 * `fail-start` cannot start.
 */
import { Type } from '@sinclair/typebox';
import { loadConfig } from '../config.js';
import { runService } from '../boot.js';
import { Int, LogLevel } from '../variables.js';

const Schema = Type.Object({
  FIXTURE_MODE: Type.Union(
    ['ok', 'slow-close', 'crash', 'fail-start'].map((m) => Type.Literal(m)),
    { description: 'how the fixture behaves' },
  ),
  FIXTURE_PORT: Int(4000, 1, 65535, 'a port to report'),
  LOG_LEVEL: LogLevel,
});

await runService({
  name: 'fixture',
  loadConfig: () => loadConfig(Schema),
  logLevel: (config) => config.LOG_LEVEL,
  closeDelayMs: 500,
  start: async (config, log) => {
    if (config.FIXTURE_MODE === 'fail-start') throw new Error('the port is taken');
    // keeps the process alive until closed, as a listening server would
    const timer = setInterval(() => undefined, 60_000);
    if (config.FIXTURE_MODE === 'crash')
      setTimeout(() => {
        throw new Error('something broke');
      }, 50);
    return {
      close: async () => {
        if (config.FIXTURE_MODE === 'slow-close') await new Promise(() => undefined);
        clearInterval(timer);
        log.info('fixture closed');
      },
    };
  },
  listening: (_service, config) => ({ message: 'fixture listening', details: { port: config.FIXTURE_PORT } }),
});
