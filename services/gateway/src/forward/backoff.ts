/** Bounds of the retry delays. */
export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  /** A source of numbers in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/**
 * Exponential backoff with jitter for retrying forever: the ceiling doubles after each failure from `minMs` up
 * to `maxMs`, and each delay is drawn from the upper half below it, so gateways that lost the same link do not
 * all come back in the same second and a delay is never much shorter than planned.
 */
export class Backoff {
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #failures = 0;

  constructor(options: BackoffOptions) {
    this.#minMs = options.minMs;
    this.#maxMs = Math.max(options.minMs, options.maxMs);
    this.#random = options.random ?? Math.random;
  }

  /** How many failures in a row so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  next(): number {
    // 2 ** 40 already exceeds any sane maximum; capping the exponent keeps the arithmetic finite.
    const ceiling = Math.min(this.#maxMs, this.#minMs * 2 ** Math.min(this.#failures, 40));
    this.#failures += 1;
    return Math.round(ceiling / 2 + (this.#random() * ceiling) / 2);
  }

  /** Starts over after a success. */
  reset(): void {
    this.#failures = 0;
  }
}
