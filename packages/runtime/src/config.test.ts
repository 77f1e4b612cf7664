import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { Int, LogLevel, NodeEnv } from './variables.js';

const Schema = Type.Object({
  NODE_ENV: NodeEnv,
  LOG_LEVEL: LogLevel,
  QUEUE_URL: Type.String({ pattern: '^amqp://', description: 'amqp://host:5672' }),
  WORKERS: Int(4, 1, 64, 'workers per process'),
  TRUST_PROXY: Type.Boolean({ default: false, description: 'true behind a load balancer' }),
  NAME: Type.String({ minLength: 3, default: 'telemed' }),
});

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills defaults, converts numbers and booleans, and types the result', () => {
    const config = loadConfig(Schema, {
      QUEUE_URL: 'amqp://mq',
      WORKERS: '8',
      TRUST_PROXY: 'true',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      QUEUE_URL: 'amqp://mq',
      WORKERS: 8,
      TRUST_PROXY: true,
      NAME: 'telemed',
    });
    const workers: number = config.WORKERS;
    expect(workers).toBe(8);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(Schema, { QUEUE_URL: 'amqp://mq', WORKERS: '' }).WORKERS).toBe(4);
  });

  it('lists every missing and bad variable in one error, once each, saying what to set', () => {
    const error = errorOf(() =>
      loadConfig(Schema, {
        NODE_ENV: 'prod',
        LOG_LEVEL: 'loud',
        WORKERS: '0',
        TRUST_PROXY: 'yes please',
        NAME: 'ab',
      }),
    );
    expect(error.message).toBe(
      [
        'invalid configuration:',
        "  - NODE_ENV: must be one of development, production, test ('production' refuses demo data and default secrets)",
        '  - LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (pino log level)',
        '  - QUEUE_URL: is required (amqp://host:5672)',
        '  - WORKERS: must be at least 1 (workers per process)',
        '  - TRUST_PROXY: must be true or false (true behind a load balancer)',
        '  - NAME: must be at least 3 characters',
      ].join('\n'),
    );
    expect(error.problems).toHaveLength(6);
  });

  it('words the other mistakes the same way', () => {
    const text = errorOf(() => loadConfig(Schema, { QUEUE_URL: 'http://mq', WORKERS: 'many' })).problems.join(
      '\n',
    );
    expect(text).toBe(
      [
        'QUEUE_URL: must match ^amqp:// (amqp://host:5672)',
        'WORKERS: must be a whole number (workers per process)',
      ].join('\n'),
    );
    expect(errorOf(() => loadConfig(Schema, { QUEUE_URL: 'amqp://mq', WORKERS: '65' })).problems).toEqual([
      'WORKERS: must be at most 64 (workers per process)',
    ]);
  });

  it("adds the check's problems to the schema's, one per variable", () => {
    const error = errorOf(() =>
      loadConfig(Schema, { WORKERS: '2', NAME: 'prod-db' }, (config) => [
        { variable: 'QUEUE_URL', message: 'already reported by the schema' },
        ...(config.WORKERS < 3 ? [{ variable: 'WORKERS', message: 'must be at least 3 in this setup' }] : []),
      ]),
    );
    expect(error.problems).toEqual([
      'QUEUE_URL: is required (amqp://host:5672)',
      'WORKERS: must be at least 3 in this setup',
    ]);
  });
});
