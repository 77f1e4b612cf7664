import type { Logger } from 'pino';
import type { Spool } from './spool.js';

const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Removes forwarded instances from `sent/` once they are older than GATEWAY_KEEP_SENT_HOURS: at start and every
 * ten minutes, which is precise enough for a retention measured in hours. Returns a function that stops it.
 */
export function startSentRetention(spool: Spool, log: Logger): () => void {
  const sweep = (): void => {
    spool.purgeSent().then(
      (removed) => {
        if (removed) log.info({ removed }, 'removed forwarded instances past their retention');
      },
      (error: unknown) => {
        log.warn({ err: error }, 'could not clear old instances from sent/');
      },
    );
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
