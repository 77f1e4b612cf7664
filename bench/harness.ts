/** What every benchmark here shares: output, whole-number settings, clean-up that always runs, and Ctrl-C. */
import { Redis } from 'ioredis';

/** A Postgres server where the benchmark may create its database, and the Redis it may use under its own prefix. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Prints one line. */
export function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** 12345.6 → "12,346". */
export const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A whole-number setting from the environment, checked. */
export function positiveInt(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max}, not ${raw}`);
  }
  return n;
}

// Every resource registers how to release it as soon as it exists; they run newest first, once.
const cleanups: { label: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | undefined;

/** Registers the release of a resource just acquired. */
export function onCleanup(label: string, run: () => Promise<unknown>): void {
  cleanups.push({ label, run });
}

/** Releases everything registered, newest first; safe to call more than once. */
export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const { label, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        process.stderr.write(`clean-up: ${label} failed: ${String(error)}\n`);
      }
    }
  })();
  return cleaning;
}

/** Set once Ctrl-C (or SIGTERM) arrived; an object so the type checker does not take it for a constant. */
export const signalled = { interrupted: false };

/** On Ctrl-C or SIGTERM: run `stopWork`, clean up, exit with the signal's code. */
export function handleSignals(stopWork: () => void): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    // Handled every time: a second Ctrl-C must not kill the process half-way through its clean-up.
    process.on(signal, () => {
      if (cleaning) {
        say(`${signal}: still cleaning up…`);
        return;
      }
      say(`\n${signal}: stopping and cleaning up…`);
      signalled.interrupted = true;
      process.exitCode = code;
      stopWork();
      void cleanUp().finally(() => process.exit(code));
    });
  }
}

/** Registers the deletion of every Redis key under `prefix` (the api's keys and its queues) at clean-up. */
export function cleanRedisOnExit(url: string, prefix: string): void {
  onCleanup(`delete the Redis keys ${prefix}*`, async () => {
    const redis = new Redis(url);
    try {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (found.length) await redis.del(...found);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });
}

/** Runs a benchmark's main, reports a failure (not the fallout of Ctrl-C), always cleans up, then exits. */
export async function runBench(main: () => Promise<void>): Promise<never> {
  try {
    await main();
  } catch (error) {
    // After Ctrl-C the work in flight fails as its connections close; that is not worth reporting.
    if (!signalled.interrupted) {
      process.exitCode = 1;
      process.stderr.write(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  } finally {
    if (!signalled.interrupted) say('cleaning up…');
    await cleanUp();
  }
  process.exit();
}
