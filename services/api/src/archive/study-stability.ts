import type { Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import { QUEUES, type StudyStableJob } from '@telemed/contracts';
import type { Database } from '@telemed/db';

export interface StudyStabilityOptions {
  db: Database;
  /** the router's study-stable queue */
  queue: Queue<StudyStableJob>;
  stableSeconds: number;
  log: FastifyBaseLogger;
}

/**
 * Watches for studies that stopped receiving instances: every few seconds it marks those quiet for
 * STUDY_STABLE_SECONDS as stable (in Postgres, so a restart loses nothing), links each to its case, and queues a
 * `study-stable` job for the router. The job id is the study and its stable instant, so a repeated sweep never
 * queues one twice.
 */
export class StudyStabilityWatcher {
  readonly #queue: Queue<StudyStableJob>;
  readonly #options: StudyStabilityOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(options: StudyStabilityOptions) {
    this.#options = options;
    this.#queue = options.queue;
  }

  /** Sweeps now and then every `intervalMs`. */
  start(intervalMs = Math.max(500, Math.min(5000, (this.#options.stableSeconds * 1000) / 4))): void {
    const tick = (): void => {
      this.#running = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.#options.log.error({ err: error }, 'study stability sweep failed; retrying');
        })
        .finally(() => {
          if (!this.#closed) this.#timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
  }

  /**
   * One sweep: mark and link every study that has become stable, then queue the event of each stable study not yet
   * queued (an enqueue that failed last time is retried here). Returns how many events were queued.
   */
  async sweep(): Promise<number> {
    const { db, stableSeconds } = this.#options;
    await db.transaction((tx) => tx.stability.markStable(stableSeconds, 500));
    const pending = await db.stability.unqueued(500);
    for (const study of pending) {
      const job: StudyStableJob = {
        studyId: study.studyId,
        studyInstanceUid: study.studyInstanceUid,
        hospitalId: study.hospitalId,
        caseId: study.caseId,
        instanceCount: study.instanceCount,
        requestId: randomUUID(),
      };
      // the id is the study and its stable instant: re-sending after a failed mark adds nothing twice, and a study
      // that grows after it was stable becomes stable again as a new event
      await this.#queue.add(QUEUES.studyStable, job, {
        jobId: `${study.studyId}-${study.stableAt.getTime()}`,
      });
      await db.stability.markQueued(study.studyId, study.stableAt);
      this.#options.log.info({ studyId: study.studyId, caseId: study.caseId }, 'study stable');
    }
    return pending.length;
  }

  /** Stops sweeping and waits for a sweep under way. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
