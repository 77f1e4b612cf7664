import type { Logger } from 'pino';
import type { Spool } from '../spool/spool.js';
import type { SpooledInstance } from '../spool/spooled-instance.js';
import { ApiAuthError, type ApiSession } from './api-session.js';
import { Backoff } from './backoff.js';
import { nextBatch } from './batches.js';
import { UntransformableInstance, type OutboundInstance, type OutboundTransform } from './deidentify.js';
import { multipartBody } from './multipart.js';
import { StowNetworkError, type StowAnswer, type StowClient } from './stow-client.js';
import { classifyStowAnswer } from './stow-outcome.js';

/** What the forwarder needs. */
export interface ForwarderOptions {
  spool: Spool;
  stow: StowClient;
  session: ApiSession;
  transform: OutboundTransform;
  batchMaxBytes: number;
  retryMinMs: number;
  retryMaxMs: number;
  log: Logger;
  /** How often `incoming/` is looked at without being woken, for files an operator moved back in. */
  pollIntervalMs?: number;
  random?: () => number;
}

type Step =
  { kind: 'idle' } | { kind: 'progress' } | { kind: 'failed'; problem: string; retryAfterMs?: number };

/**
 * Drains `incoming/` into the api's STOW-RS endpoint, one study batch at a time, until it is closed. Any failure
 * (link down, api down, token refused, an instance the api cannot take right now) is retried forever with
 * backoff; an instance leaves the spool only after the api has said it is stored or refused it for good. A
 * gateway stopped at any point loses nothing: at worst a batch the api stored is sent again after restart.
 */
export class Forwarder {
  readonly #options: ForwarderOptions;
  readonly #backoff: Backoff;
  readonly #log: Logger;
  #batchLimit: number;
  #stopping = false;
  #woken = false;
  #backingOff = false;
  #interrupt: (() => void) | undefined;
  #inFlight: AbortController | undefined;
  #running: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  private constructor(options: ForwarderOptions) {
    this.#options = options;
    this.#log = options.log;
    this.#batchLimit = options.batchMaxBytes;
    this.#backoff = new Backoff({
      minMs: options.retryMinMs,
      maxMs: options.retryMaxMs,
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** Starts forwarding whatever is waiting in the spool, including what a previous run left there. */
  static start(options: ForwarderOptions): Forwarder {
    const forwarder = new Forwarder(options);
    forwarder.#running = forwarder.#run();
    return forwarder;
  }

  /** Tells the forwarder new instances arrived; it looks as soon as it is not backing off. */
  wake(): void {
    this.#woken = true;
    if (!this.#backingOff) this.#interrupt?.();
  }

  /**
   * Stops after the batch in flight, giving it `graceMs` to finish before abandoning it (its instances stay in
   * the spool and are sent again next time). Idempotent.
   */
  close(graceMs = 5000): Promise<void> {
    this.#closing ??= this.#close(graceMs);
    return this.#closing;
  }

  async #close(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#interrupt?.();
    const abandon = setTimeout(() => this.#inFlight?.abort(), graceMs);
    try {
      await this.#running;
    } finally {
      clearTimeout(abandon);
      this.#options.stow.close();
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let step: Step;
      try {
        step = await this.#step();
      } catch (error) {
        // The spool itself failed (disk gone, permissions); nothing was lost, so wait and look again.
        step = { kind: 'failed', problem: `the spool could not be read or updated: ${describe(error)}` };
      }
      if (step.kind === 'idle') {
        await this.#wait(this.#options.pollIntervalMs ?? 10_000, true);
      } else if (step.kind === 'progress') {
        if (this.#backoff.failures > 0)
          this.#log.info({ failures: this.#backoff.failures }, 'forwarding resumed');
        this.#backoff.reset();
      } else {
        const delay = Math.max(this.#backoff.next(), step.retryAfterMs ?? 0);
        this.#log.warn(
          { failures: this.#backoff.failures, retryInMs: delay },
          `forwarding failed, will retry: ${step.problem}`,
        );
        this.#backingOff = true;
        await this.#wait(delay, false);
        this.#backingOff = false;
      }
    }
  }

  async #step(): Promise<Step> {
    const { spool } = this.#options;
    const pending = await spool.pending();
    const oldest = pending[0];
    if (!oldest) return { kind: 'idle' };
    const study = await spool.measure(
      pending.filter((entry) => entry.studyInstanceUid === oldest.studyInstanceUid),
    );
    const batch = nextBatch(study, this.#batchLimit);
    // The study's files vanished between listing and measuring (moved by an operator): look again.
    if (!batch) return { kind: 'progress' };
    const outbound: OutboundInstance[] = [];
    try {
      for (const instance of batch) {
        try {
          outbound.push(await this.#options.transform(instance));
        } catch (error) {
          if (!(error instanceof UntransformableInstance)) throw error;
          this.#log.error(
            { file: instance.fileName, problem: error.message },
            'instance set aside, not sent',
          );
          await spool.markRejected([
            { instance, rejection: { failureReason: undefined, message: error.message, httpStatus: 0 } },
          ]);
        }
      }
      if (!outbound.length) return { kind: 'progress' };
      return await this.#send(outbound);
    } finally {
      for (const item of outbound) await item.release().catch(() => undefined);
    }
  }

  async #send(outbound: readonly OutboundInstance[]): Promise<Step> {
    const { session, spool, stow } = this.#options;
    const controller = new AbortController();
    this.#inFlight = controller;
    let answer: StowAnswer;
    try {
      const body = multipartBody(outbound);
      answer = await stow.post(body, await session.accessToken(controller.signal), controller.signal);
      if (answer.status === 401) {
        // The token expired or the api restarted with a new key: renew once, then treat as a failure.
        session.invalidate();
        answer = await stow.post(body, await session.accessToken(controller.signal), controller.signal);
      }
    } catch (error) {
      // Only close() aborts: the batch stays in the spool for the next run, which is no failure to report.
      if (controller.signal.aborted) return { kind: 'idle' };
      if (error instanceof StowNetworkError || error instanceof ApiAuthError)
        return { kind: 'failed', problem: error.message };
      throw error;
    } finally {
      this.#inFlight = undefined;
    }

    const bytes = outbound.reduce((sum, item) => sum + item.size, 0);
    if (answer.status === 413 && outbound.length > 1) {
      // The api's body limit is below GATEWAY_BATCH_MAX_BYTES; send smaller batches from now on.
      this.#batchLimit = Math.max(1, Math.floor(bytes / 2));
      this.#log.warn(
        { batchBytes: bytes, newLimit: this.#batchLimit },
        'the api refused a batch as too large; sending smaller batches',
      );
      return { kind: 'progress' };
    }

    const outcome = classifyStowAnswer(outbound, answer.status, answer.body);
    await spool.markForwarded(outcome.forwarded);
    await spool.markRejected(outcome.rejected);
    const study = outbound[0]?.instance.studyInstanceUid;
    if (outcome.forwarded.length)
      this.#log.info(
        { studyInstanceUid: study, instances: outcome.forwarded.length, bytes: sumSizes(outcome.forwarded) },
        'forwarded to the api',
      );
    for (const { instance, rejection } of outcome.rejected)
      this.#log.error(
        { fileName: instance.fileName, sopInstanceUid: instance.sopInstanceUid, ...rejection },
        'the api refused an instance for good; moved to rejected/',
      );
    if (outcome.retry.length)
      return {
        kind: 'failed',
        problem: outcome.problem ?? `HTTP ${answer.status}`,
        ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
      };
    return { kind: 'progress' };
  }

  // Resolves after `ms`, on close, and (when `wakeable`) as soon as new instances arrive. A wake-up that came
  // while a batch was being sent is remembered, so an instance stored during a send is not left for the poll.
  #wait(ms: number, wakeable: boolean): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    if (wakeable && this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#interrupt = undefined;
        if (wakeable) this.#woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#interrupt = done;
    });
  }
}

function sumSizes(instances: readonly SpooledInstance[]): number {
  return instances.reduce((sum, instance) => sum + instance.size, 0);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
