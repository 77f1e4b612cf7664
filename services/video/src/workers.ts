import mediasoup, { type types } from 'mediasoup';
import type { Logger } from 'pino';

export interface WorkerPoolOptions {
  size: number;
  rtcMinPort: number;
  rtcMaxPort: number;
  log: Logger;
  /** told when a worker died, after a new one took its place: the rooms it carried must move */
  onWorkerDied: (died: types.Worker) => void;
}

/**
 * The mediasoup workers (one C++ process each, one per core by default). A room goes to the worker carrying the
 * fewest rooms; a worker that dies is replaced at once and the rooms it carried are told to move.
 */
export class WorkerPool {
  readonly #workers: types.Worker[] = [];
  readonly #load = new Map<types.Worker, number>();
  readonly #options: WorkerPoolOptions;
  #closed = false;

  private constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      for (let i = 0; i < options.size; i++) await pool.#spawn();
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  async #spawn(): Promise<types.Worker> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: this.#options.rtcMinPort,
      rtcMaxPort: this.#options.rtcMaxPort,
    });
    this.#workers.push(worker);
    this.#load.set(worker, 0);
    worker.on('died', (error: Error) => {
      if (this.#closed) return;
      this.#options.log.error({ err: error, pid: worker.pid }, 'mediasoup worker died; starting another');
      this.#workers.splice(this.#workers.indexOf(worker), 1);
      this.#load.delete(worker);
      this.#spawn()
        .then(() => {
          this.#options.onWorkerDied(worker);
        })
        .catch((spawnError: unknown) => {
          this.#options.log.fatal({ err: spawnError }, 'no mediasoup worker could be started');
          // the rooms still move to the workers left, if any
          this.#options.onWorkerDied(worker);
        });
    });
    return worker;
  }

  /** The live worker carrying the fewest rooms, counted as taken by one more. */
  take(): types.Worker {
    const live = this.#workers.filter((w) => !w.closed);
    if (!live.length) throw new Error('no mediasoup worker is running');
    const worker = live.reduce((a, b) => ((this.#load.get(a) ?? 0) <= (this.#load.get(b) ?? 0) ? a : b));
    this.#load.set(worker, (this.#load.get(worker) ?? 0) + 1);
    return worker;
  }

  /** A room on `worker` closed. */
  release(worker: types.Worker): void {
    const n = this.#load.get(worker);
    if (n !== undefined) this.#load.set(worker, Math.max(0, n - 1));
  }

  /** The process ids of the live workers (for health and for tests that stop one). */
  pids(): number[] {
    return this.#workers.filter((w) => !w.closed).map((w) => w.pid);
  }

  get size(): number {
    return this.#workers.filter((w) => !w.closed).length;
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#workers) w.close();
    this.#workers.length = 0;
  }
}
