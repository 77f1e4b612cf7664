/** A day on a hospital's calendar, `YYYY-MM-DD`. */
export type CalendarDay = string;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const readers = new Map<string, Intl.DateTimeFormat>();

/** The date and time an instant shows on the clock of `timeZone`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  let reader = readers.get(timeZone);
  if (!reader) {
    reader = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    readers.set(timeZone, reader);
  }
  const parts = Object.fromEntries(reader.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

function offsetAt(utcMs: number, timeZone: string): number {
  const w = wallClock(new Date(utcMs), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(utcMs / 60_000) * 60_000;
}

/** The instant at which the clock of `timeZone` shows `day` at `minutes` past its midnight (may exceed a day). */
export function atWallTime(day: CalendarDay, minutes: number, timeZone: string): Date {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const first = guess - offsetAt(guess, timeZone);
  // a second look settles the rare guess that fell on the other side of an offset change
  return new Date(guess - offsetAt(first, timeZone));
}

/** The calendar day an instant falls on at a hospital. */
export function dayOf(instant: Date, timeZone: string): CalendarDay {
  const w = wallClock(instant, timeZone);
  return `${String(w.year)}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The day `n` days after `day` (before, when negative). */
export function addDays(day: CalendarDay, n: number): CalendarDay {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week `day` falls in. */
export function mondayOf(day: CalendarDay): CalendarDay {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** `HH:mm` of minutes past midnight (wrapping past 24 h). */
export function clockText(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Minutes past midnight of `HH:mm`, or null when it is not a time of day. */
export function minutesOf(text: string): number | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
