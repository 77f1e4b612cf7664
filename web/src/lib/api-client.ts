import type { TokenPair } from '@telemed/contracts';
import i18n from './i18n';
import type { ProblemAnswer } from './refusals';
import { currentSession, forgetSession, keepTokens } from './session';

/** An answer the api refused, with its problem+json detail in the user's language: what the user is to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Each input field at fault and what to change, when the api names them. */
    readonly fields: { field: string; message: string }[] = [],
    /** The particular refusal, when the api names one. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// refresh a little before the token runs out, so a request never starts with a dying token
const REFRESH_MARGIN_MS = 30_000;
let refreshing: Promise<string | null> | null = null;

/**
 * A fresh access token, refreshing once however many requests ask at the same moment; null when signed out. Also for
 * requests made outside `api` (the resumable upload), so a long one never starts with a dying token.
 */
export async function accessToken(force = false): Promise<string | null> {
  const session = currentSession();
  if (!session) return null;
  if (!force && session.accessExpiresAt - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!res.ok) {
        forgetSession();
        return null;
      }
      return keepTokens((await res.json()) as TokenPair).accessToken;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** An access token good for a while yet (refreshed if near its end), for connections that sign in themselves. */
export async function freshAccessToken(force = false): Promise<string | null> {
  return accessToken(force);
}

/**
 * The refusal in `res` as an ApiError, said in the language on screen; in the api's own words when that language's
 * messages cannot be fetched or do not know the refusal.
 */
export async function refusalOf(res: Response): Promise<ApiError> {
  let problem: ProblemAnswer = {};
  try {
    problem = (await res.json()) as ProblemAnswer;
  } catch {
    // not problem+json: the status says enough
  }
  const own = {
    message: problem.detail ?? problem.title ?? res.statusText,
    fields: (problem.errors ?? []).map(({ field, message }) => ({ field, message })),
  };
  // the words for refusals come in a chunk of their own, on the first refusal: most sessions never need them
  const said = await import('./refusals')
    .then(async ({ refusalMessages, sayRefusal }) =>
      sayRefusal(problem, await refusalMessages(i18n.language), i18n.language, res.statusText),
    )
    .catch(() => own);
  return new ApiError(res.status, problem.code ?? 'unknown', said.message, said.fields, problem.reason);
}

/** Calls the api as the signed-in user: JSON in and out, refused answers thrown as ApiError, said in the user's language. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const send = async (token: string | null): Promise<Response> =>
    fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  let res = await send(await accessToken());
  if (res.status === 401 && currentSession()) res = await send(await accessToken(true));
  if (res.status === 401) forgetSession();
  if (!res.ok) throw await refusalOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Signs in; the session is kept for the next requests. */
export async function signIn(username: string, password: string): Promise<void> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw await refusalOf(res);
  keepTokens((await res.json()) as TokenPair);
}

/** Ends the session on the server, then here. */
export async function signOut(): Promise<void> {
  const token = currentSession()?.accessToken;
  try {
    if (token)
      await fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  } finally {
    forgetSession();
  }
}
