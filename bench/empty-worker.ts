/**
 * The baseline worker of `bench:routing`: a BullMQ worker that does nothing, run as its own process as the router
 * is, so the baseline and the router each get a process of their own beside the benchmark that feeds them.
 *
 * Environment (set by routing.ts): EMPTY_REDIS_URL, EMPTY_PREFIX, EMPTY_QUEUE, EMPTY_CONCURRENCY.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const connection = new Redis(setting('EMPTY_REDIS_URL'), { maxRetriesPerRequest: null });
const worker = new Worker(setting('EMPTY_QUEUE'), () => Promise.resolve(), {
  connection,
  prefix: setting('EMPTY_PREFIX'),
  concurrency: Number(setting('EMPTY_CONCURRENCY')),
});
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => connection.quit())
    .finally(() => process.exit(0));
});
