import { useSyncExternalStore } from 'react';
import { currentSession, onSessionChange, type Session } from '../../lib/session';

let snapshot = currentSession();
onSessionChange((session) => {
  snapshot = session;
});

/** The signed-in session, re-rendering on sign-in, refresh and sign-out. */
export function useSession(): Session | null {
  return useSyncExternalStore(
    (notify) =>
      onSessionChange(() => {
        notify();
      }),
    () => snapshot,
  );
}
