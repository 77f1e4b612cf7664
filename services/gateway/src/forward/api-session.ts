import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

// Only the fields the gateway uses; the api's answer carries more (the user, the session's end).
const TokenAnswer = Type.Object({
  accessToken: Type.String({ minLength: 1 }),
  refreshToken: Type.String({ minLength: 1 }),
  expiresIn: Type.Number({ minimum: 0 }),
});
type TokenAnswer = Static<typeof TokenAnswer>;

/** Signing in to the api failed; the forwarder backs off and tries again. */
export class ApiAuthError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ApiAuthError';
  }
}

/** The account the gateway signs in with. */
export interface ApiSessionOptions {
  apiUrl: string;
  username: string;
  password: string;
  /** Bound on each auth request, so a hung api does not stall the forwarder forever. */
  timeoutMs?: number;
}

// Renew this long before the access token runs out, so a token never expires mid-upload.
const RENEW_MARGIN_MS = 30_000;

/**
 * The gateway's signed-in session with the api: logs in with `POST /api/auth/login`, renews the access token
 * with `POST /api/auth/refresh` (each refresh token is single use), and logs in again when a refresh is refused,
 * as it is once the api's absolute session lifetime is over.
 */
export class ApiSession {
  readonly #options: ApiSessionOptions;
  #tokens: { access: string; refresh: string; expiresAt: number } | undefined;

  constructor(options: ApiSessionOptions) {
    this.#options = options;
  }

  /** A valid access token, signing in or renewing as needed. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const tokens = this.#tokens;
    if (tokens && tokens.expiresAt - RENEW_MARGIN_MS > Date.now()) return tokens.access;
    if (tokens) {
      try {
        return this.#keep(await this.#post('/api/auth/refresh', { refreshToken: tokens.refresh }, signal));
      } catch (error) {
        if (signal?.aborted) throw error;
        // A refused refresh (session over, token rotated away) is answered by signing in afresh.
        this.#tokens = undefined;
      }
    }
    const { username, password } = this.#options;
    return this.#keep(await this.#post('/api/auth/login', { username, password }, signal));
  }

  /** Forgets the access token after the api refused it (401), so the next call renews it. */
  invalidate(): void {
    if (this.#tokens) this.#tokens.expiresAt = 0;
  }

  #keep(answer: TokenAnswer): string {
    this.#tokens = {
      access: answer.accessToken,
      refresh: answer.refreshToken,
      expiresAt: Date.now() + answer.expiresIn * 1000,
    };
    return answer.accessToken;
  }

  async #post(path: string, body: unknown, signal?: AbortSignal): Promise<TokenAnswer> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await fetch(`${this.#options.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new ApiAuthError(`could not reach the api for ${path}: ${describe(error)}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ApiAuthError(`the api answered ${path} with HTTP ${response.status}`, response.status);
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (!Value.Check(TokenAnswer, answer))
      throw new ApiAuthError(`the api's answer to ${path} has no accessToken, refreshToken and expiresIn`);
    return answer;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
