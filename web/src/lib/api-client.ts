import type { TokenPair } from '@telemed/contracts';
import { currentSession, forgetSession, keepTokens } from './session';

/** An answer the api refused, with its problem+json detail: what the user is to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Each input field at fault and what to change, when the api names them. */
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Problem {
  code?: string;
  errors?: { field: string; message: string }[];
  detail?: string;
  title?: string;
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

async function problemOf(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await res.json()) as Problem;
  } catch {
    // not problem+json: the status says enough
  }
  return new ApiError(
    res.status,
    problem.code ?? 'unknown',
    problem.detail ?? problem.title ?? res.statusText,
    problem.errors ?? [],
  );
}

/** Calls the api as the signed-in user: JSON in and out, refused answers thrown as ApiError with the api's message. */
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
  if (!res.ok) throw await problemOf(res);
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
  if (!res.ok) throw await problemOf(res);
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
