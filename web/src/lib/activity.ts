/**
 * Idle sign-out: a session left alone on a shared ward computer ends by itself. Activity is a key, a click, the wheel
 * or a touch in any tab of this app (kept in localStorage, so one tab in use keeps the others alive), and any work
 * that holds the session open, such as an upload in progress: a 300 MB CT over a 2 Mb/s link takes 20 minutes.
 */

/** How long without activity before the session ends. */
export const IDLE_LIMIT_MS = 30 * 60_000;
/** How long before the end a warning is shown, with a button to stay. */
export const IDLE_WARNING_MS = 60_000;

const KEY = 'telemed.activity';
// writes to localStorage at most this often: every mouse move would be wasteful
const WRITE_EVERY_MS = 5_000;
const holds = new Set<symbol>();
let lastWritten = 0;

/** Marks this moment as activity. */
export function touchActivity(now = Date.now()): void {
  if (now - lastWritten < WRITE_EVERY_MS) return;
  lastWritten = now;
  localStorage.setItem(KEY, String(now));
}

/** The last activity in any tab, in ms since the epoch. */
export function lastActivity(): number {
  return Math.max(Number(localStorage.getItem(KEY) ?? 0), lastWritten);
}

/** Keeps the session alive while some work runs (an upload); returns the release. */
export function holdActive(): () => void {
  const hold = Symbol('activity hold');
  holds.add(hold);
  return () => holds.delete(hold);
}

/** True while some work holds the session open; the idle clock counts from its end. */
export function activityHeld(): boolean {
  return holds.size > 0;
}

/** Starts counting this tab's input as activity; returns the stop. */
export function watchActivity(): () => void {
  lastWritten = 0;
  touchActivity();
  const events = ['keydown', 'pointerdown', 'wheel', 'touchstart', 'pointermove'] as const;
  let at: { x: number; y: number } | null = null;
  const onInput = (event: Event): void => {
    if (event instanceof PointerEvent && event.type === 'pointermove') {
      // the browser also sends a move when the page changes under a resting mouse (a live list updating): only a
      // hand on the mouse counts, or a screen that refreshes itself would never sign out
      const moved = at === null || at.x !== event.screenX || at.y !== event.screenY;
      at = { x: event.screenX, y: event.screenY };
      if (!moved) return;
    }
    touchActivity();
  };
  for (const e of events) window.addEventListener(e, onInput, { passive: true, capture: true });
  return () => {
    for (const e of events) window.removeEventListener(e, onInput, { capture: true });
  };
}

const IDLE_MARK = 'telemed.idle-signed-out';

/** Notes, for the sign-in page, that the session ended for want of activity. */
export function markIdleSignOut(): void {
  sessionStorage.setItem(IDLE_MARK, '1');
}

/** True once after an idle sign-out: the sign-in page says why the user is there. */
export function takeIdleSignOut(): boolean {
  const marked = sessionStorage.getItem(IDLE_MARK) === '1';
  sessionStorage.removeItem(IDLE_MARK);
  return marked;
}
