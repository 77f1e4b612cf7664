import { Upload, type DetailedError } from 'tus-js-client';
import { holdActive } from '../../lib/activity';
import { accessToken } from '../../lib/api-client';
import { recordBytes, saveRecord, type UploadRecord } from './upload-record';
import { removeStagedBatch, removeStaging, stagedBatch } from './staging';
import { readStowAnswer } from './stow-answer';

/** What the sender is doing. */
export type SenderStatus = 'sending' | 'paused' | 'offline' | 'waiting' | 'done';

/** What the screen shows of a sending upload. */
export interface SenderSnapshot {
  record: UploadRecord;
  status: SenderStatus;
  sentBytes: number;
  totalBytes: number;
  /** over the last few seconds; null until known */
  bytesPerSecond: number | null;
  secondsLeft: number | null;
  /** the last error, while waiting to try again */
  error: string | null;
}

const ENDPOINT = '/dicomweb/uploads';
// tus retries a broken request after these pauses (ms); then the sender waits RETRY_LATER_MS and starts again
const RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000];
const RETRY_LATER_MS = 30_000;
// speed is measured over this window: long enough to smooth a satellite link's bursts
const SPEED_WINDOW_MS = 8_000;

/**
 * Sends an upload's staged batches one after another, each as one tus upload: resumable from the byte where a
 * dropped link or a reload stopped it, with the access token refreshed before each request (a 20-minute upload
 * outlives a token), the idle sign-out held off while it runs, and a pause on the browser's offline event that
 * resumes by itself on the online event.
 */
export class UploadSender {
  #record: UploadRecord;
  #status: SenderStatus = 'paused';
  #error: string | null = null;
  #current: Upload | null = null;
  #currentSent = 0;
  #samples: { at: number; bytes: number }[] = [];
  #listeners = new Set<() => void>();
  #release: (() => void) | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  #snapshot: SenderSnapshot;

  constructor(record: UploadRecord) {
    this.#record = record;
    if (record.phase === 'done') this.#status = 'done';
    this.#snapshot = this.#makeSnapshot();
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('online', this.#onOnline);
  }

  /** Calls `listener` on every change; returns the unsubscribe. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The current state, the same object until something changes (for useSyncExternalStore). */
  snapshot = (): SenderSnapshot => this.#snapshot;

  /** Starts or resumes sending; on an offline browser, waits for the link to come back. */
  start(): void {
    if (this.#closed) {
      // opened again (React runs an effect's clean-up and the effect again in development)
      this.#closed = false;
      window.addEventListener('offline', this.#onOffline);
      window.addEventListener('online', this.#onOnline);
    }
    if (this.#record.phase === 'done' || this.#status === 'sending') return;
    this.#clearRetry();
    this.#error = null;
    this.#release ??= holdActive();
    if (!navigator.onLine) {
      this.#set('offline');
      return;
    }
    this.#set('sending');
    void this.#next();
  }

  /** Pauses at the current byte; `start` continues from there. */
  pause(): void {
    if (this.#status === 'done') return;
    this.#clearRetry();
    this.#set('paused');
    void this.#current?.abort();
    this.#current = null;
    this.#releaseHold();
  }

  /**
   * Stops listening and sending (the page is left); the upload stays recorded and continues when the page is opened
   * again, or when `start` is called.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearRetry();
    window.removeEventListener('offline', this.#onOffline);
    window.removeEventListener('online', this.#onOnline);
    void this.#current?.abort();
    this.#current = null;
    this.#releaseHold();
    if (this.#status === 'sending' || this.#status === 'waiting') this.#status = 'paused';
  }

  /**
   * Gives the upload up: stops sending, removes what is staged on this computer, and asks the server to discard the
   * batches begun there (tus termination) so they do not wait out their expiry. The technician does not wait for the
   * server: on a satellite link its answer can take long, and a batch it never hears of expires by itself.
   */
  async discard(): Promise<void> {
    this.close();
    const begun = this.#record.batches.filter((b) => !b.done && b.url);
    for (const b of begun) {
      void Upload.terminate(b.url ?? '', {
        onBeforeRequest: async (req) => {
          const token = await accessToken();
          if (token) req.setHeader('Authorization', `Bearer ${token}`);
        },
      }).catch(() => undefined);
    }
    await removeStaging(null).catch(() => undefined);
  }

  #onOffline = (): void => {
    if (this.#status !== 'sending' && this.#status !== 'waiting') return;
    this.#clearRetry();
    void this.#current?.abort();
    this.#current = null;
    this.#set('offline');
  };

  #onOnline = (): void => {
    if (this.#status === 'offline' || this.#status === 'waiting') {
      this.#status = 'paused';
      this.start();
    }
  };

  async #next(): Promise<void> {
    const batch = this.#record.batches.find((b) => !b.done);
    if (!batch) {
      await this.#finish();
      return;
    }
    let file: File;
    try {
      file = await stagedBatch(this.#record.id, batch.name);
    } catch {
      this.#fail('staged-missing');
      return;
    }
    if (this.#status !== 'sending' || this.#closed) return;
    this.#currentSent = 0;
    const upload: Upload = new Upload(file, {
      endpoint: ENDPOINT,
      uploadUrl: batch.url,
      metadata: { filetype: batch.contentType, filename: batch.name },
      retryDelays: RETRY_DELAYS,
      storeFingerprintForResuming: false,
      // each request carries a token with time left, refreshed as the api client refreshes it
      onBeforeRequest: async (req) => {
        const token = await accessToken();
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onShouldRetry: (err: DetailedError) => {
        const status = err.originalResponse?.getStatus() ?? 0;
        // the archive's STOW-RS answer to the last PATCH: the batch is finished, retrying would send it again
        if (err.originalResponse && readStowAnswer(err.originalResponse.getBody())) return false;
        if (status === 401) {
          void accessToken(true);
          return true;
        }
        return (status < 400 || status >= 500 || status === 409 || status === 423) && navigator.onLine;
      },
      onUploadUrlAvailable: () => {
        batch.url = upload.url;
        saveRecord(this.#record);
      },
      onProgress: (sent) => {
        this.#currentSent = sent;
        this.#sample();
        this.#emit();
      },
      onSuccess: ({ lastResponse }) => {
        this.#batchDone(readStowAnswer(lastResponse.getBody()));
      },
      onError: (error) => {
        if (upload !== this.#current) return;
        this.#current = null;
        const response = (error as DetailedError).originalResponse;
        const answer = response ? readStowAnswer(response.getBody()) : null;
        if (answer) {
          this.#batchDone(answer);
          return;
        }
        if (!navigator.onLine) {
          this.#set('offline');
          return;
        }
        const status = response?.getStatus() ?? 0;
        this.#fail(response ? `${status} ${response.getBody().trim()}` : error.message);
      },
    });
    this.#current = upload;
    upload.start();
  }

  #batchDone(answer: { stored: number; failures: string[] } | null): void {
    const batch = this.#record.batches.find((b) => !b.done);
    if (!batch) return;
    batch.done = true;
    batch.url = null;
    this.#record.stored += answer?.stored ?? 0;
    this.#record.failures.push(...(answer?.failures ?? []));
    saveRecord(this.#record);
    this.#current = null;
    this.#currentSent = 0;
    this.#emit();
    // the sent batch leaves the disk before the next starts: the last one must be gone before the folder is
    void removeStagedBatch(this.#record.id, batch.name).then(() => {
      if (this.#status === 'sending' && !this.#closed) void this.#next();
    });
  }

  async #finish(): Promise<void> {
    this.#record.phase = 'done';
    saveRecord(this.#record);
    await removeStaging(null).catch(() => undefined);
    this.#releaseHold();
    this.#set('done');
  }

  /** Something broke that tus's own retries did not get past: said on screen, and tried again in a while. */
  #fail(message: string): void {
    this.#error = message;
    this.#set('waiting');
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#status === 'waiting') {
        this.#status = 'paused';
        this.start();
      }
    }, RETRY_LATER_MS);
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #releaseHold(): void {
    this.#release?.();
    this.#release = null;
  }

  #sample(): void {
    const now = performance.now();
    this.#samples.push({ at: now, bytes: recordBytes(this.#record).sent + this.#currentSent });
    while (this.#samples.length > 2 && now - (this.#samples[0]?.at ?? now) > SPEED_WINDOW_MS)
      this.#samples.shift();
  }

  #set(status: SenderStatus): void {
    this.#status = status;
    if (status !== 'sending') this.#samples = [];
    this.#emit();
  }

  #emit(): void {
    this.#snapshot = this.#makeSnapshot();
    for (const listener of this.#listeners) listener();
  }

  #makeSnapshot(): SenderSnapshot {
    const { total, sent } = recordBytes(this.#record);
    const sentBytes = Math.min(total, sent + this.#currentSent);
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    const span = first && last ? (last.at - first.at) / 1000 : 0;
    const bytesPerSecond = first && last && span >= 1 ? (last.bytes - first.bytes) / span : null;
    return {
      record: this.#record,
      status: this.#status,
      sentBytes,
      totalBytes: total,
      bytesPerSecond,
      secondsLeft: bytesPerSecond && bytesPerSecond > 0 ? (total - sentBytes) / bytesPerSecond : null,
      error: this.#error,
    };
  }
}
