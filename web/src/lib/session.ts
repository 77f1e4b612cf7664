import type { Me, TokenPair } from '@telemed/contracts';

/** The signed-in session as this browser keeps it. */
export interface Session {
  accessToken: string;
  /** when the access token runs out, in ms since the epoch */
  accessExpiresAt: number;
  refreshToken: string;
  user: Me;
}

const KEY = 'telemed.session';
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

/** The session kept from the last sign-in or refresh, if any. */
export function currentSession(): Session | null {
  const text = localStorage.getItem(KEY);
  if (!text) return null;
  try {
    return JSON.parse(text) as Session;
  } catch {
    return null;
  }
}

/** Keeps the tokens of a sign-in or refresh. */
export function keepTokens(pair: TokenPair): Session {
  const session: Session = {
    accessToken: pair.accessToken,
    accessExpiresAt: Date.now() + pair.expiresIn * 1000,
    refreshToken: pair.refreshToken,
    user: pair.user,
  };
  localStorage.setItem(KEY, JSON.stringify(session));
  for (const listener of listeners) listener(session);
  return session;
}

/** Forgets the session: signed out, or it ended on the server. */
export function forgetSession(): void {
  localStorage.removeItem(KEY);
  for (const listener of listeners) listener(null);
}

/** Calls `listener` whenever the session changes; returns the unsubscribe. */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
