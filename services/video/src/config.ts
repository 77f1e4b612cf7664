import { cpus } from 'node:os';
import { Type, type Static } from '@sinclair/typebox';
import {
  Int,
  LogLevel,
  NodeEnv,
  databasePasswordProblem,
  loadConfig,
  type ConfigProblem,
  type Environment,
} from '@telemed/runtime';

const EnvSchema = Type.Object({
  NODE_ENV: NodeEnv,
  VIDEO_PORT: Int(8090, 0, 65_535, 'the port browsers reach the consult signalling on'),
  HOST: Type.String({ default: '127.0.0.1', description: 'the address to listen on, 0.0.0.0 for every one' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'postgres://user@host:5432/db' }),
  PG_POOL_MAX: Int(5, 1, 200),
  REDIS_URL: Type.String({ pattern: '^rediss?://', description: 'redis://host:6379' }),
  REDIS_KEY_PREFIX: Type.String({
    default: 'telemed:',
    pattern: '^[A-Za-z0-9:_-]+$',
    description: 'the same prefix as the api',
  }),
  JWT_SECRET: Type.String({
    minLength: 32,
    description: "the api's JWT_SECRET: its access tokens admit here",
  }),
  SESSION_IDLE_MINUTES: Int(30, 1, 24 * 60, 'as the api'),
  SESSION_ABSOLUTE_HOURS: Int(12, 1, 24 * 30, 'as the api'),
  VIDEO_WORKERS: Int(0, 0, 256, 'mediasoup workers; 0: one per core'),
  VIDEO_LISTEN_IP: Type.String({
    default: '127.0.0.1',
    description: 'the address media is received on (0.0.0.0 on a host with a public or NAT address)',
  }),
  VIDEO_ANNOUNCED_IP: Type.String({
    default: '',
    description: 'the address browsers send media to, when it differs from VIDEO_LISTEN_IP (NAT, 0.0.0.0)',
  }),
  VIDEO_RTC_MIN_PORT: Int(40_000, 1024, 65_535, 'lowest UDP/TCP port for media'),
  VIDEO_RTC_MAX_PORT: Int(40_999, 1024, 65_535, 'highest UDP/TCP port for media'),
  VIDEO_MAX_INCOMING_KBPS: Int(
    1500,
    100,
    100_000,
    "the most one browser may send, in kbit/s (a county uplink's share)",
  ),
  VIDEO_MAX_OUTGOING_KBPS: Int(2500, 100, 100_000, 'the most one browser is sent, in kbit/s'),
  TURN_URLS: Type.String({
    default: '',
    description:
      'comma-separated turn: and turns: URLs of the TURN server (coturn), e.g. turn:turn.example.org:3478',
  }),
  TURN_SECRET: Type.String({
    default: '',
    description: "coturn's static-auth-secret: the service signs short-lived TURN credentials with it",
  }),
  TURN_TTL_SECONDS: Int(3600, 60, 86_400, 'how long a TURN credential handed to a browser lasts'),
  VIDEO_RELAY_ONLY: Type.Boolean({ default: false, description: 'browsers use only TURN relay candidates' }),
  LOG_LEVEL: LogLevel,
});

/** The video service's configuration, read once from the environment at start-up. */
export type VideoConfig = Static<typeof EnvSchema>;

/** Parses and validates `env`; throws one `ConfigError` naming every bad or missing variable. */
export function loadVideoConfig(env: Environment = process.env): VideoConfig {
  return loadConfig(EnvSchema, env, problems);
}

/** How many mediasoup workers to start: as configured, or one per core. */
export function workerCount(config: VideoConfig): number {
  return config.VIDEO_WORKERS || cpus().length;
}

function problems(config: VideoConfig): ConfigProblem[] {
  const found: ConfigProblem[] = [];
  if (config.VIDEO_RTC_MIN_PORT > config.VIDEO_RTC_MAX_PORT)
    found.push({
      variable: 'VIDEO_RTC_MAX_PORT',
      message: `must not be below VIDEO_RTC_MIN_PORT (${config.VIDEO_RTC_MIN_PORT})`,
    });
  if (config.TURN_URLS && !config.TURN_SECRET)
    found.push({
      variable: 'TURN_SECRET',
      message: 'is required with TURN_URLS (coturn static-auth-secret)',
    });
  for (const url of turnUrls(config))
    if (!/^(turns?|stun):[^\s]+$/.test(url))
      found.push({ variable: 'TURN_URLS', message: `${url} is not a turn:, turns: or stun: URL` });
  if (config.VIDEO_RELAY_ONLY && !config.TURN_URLS)
    found.push({ variable: 'VIDEO_RELAY_ONLY', message: 'needs TURN_URLS: relay candidates come from TURN' });
  if (config.VIDEO_LISTEN_IP === '0.0.0.0' && !config.VIDEO_ANNOUNCED_IP)
    found.push({
      variable: 'VIDEO_ANNOUNCED_IP',
      message: 'is required when VIDEO_LISTEN_IP is 0.0.0.0: browsers need an address to send media to',
    });
  if (config.NODE_ENV === 'production') {
    const password = databasePasswordProblem('DATABASE_URL', config.DATABASE_URL);
    if (password) found.push(password);
  }
  return found;
}

/** The TURN URLs configured, one per entry. */
export function turnUrls(config: Pick<VideoConfig, 'TURN_URLS'>): string[] {
  return config.TURN_URLS.split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}
