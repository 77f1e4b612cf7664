const DAY = 86_400_000;

/** How far `zone`'s clock is ahead of UTC at `at`, in milliseconds (Xinjiang time: six hours). */
export function zoneOffset(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - (at.getTime() - (at.getTime() % 1000));
}

/**
 * The instant at which `zone`'s clock shows a wall time, the wall time given as milliseconds since the epoch as if
 * it were UTC (`Date.UTC(2026, 10, 30, 8)` for 08:00 on 30 November).
 */
export function atWallTime(wall: number, zone: string): Date {
  const guess = wall - zoneOffset(new Date(wall), zone);
  return new Date(wall - zoneOffset(new Date(guess), zone));
}

/** Midnight on the clock of `zone` at the start of the Monday of the week containing `now`, as a wall time. */
export function mondayWallTime(now: Date, zone: string): number {
  const wall = new Date(now.getTime() + zoneOffset(now, zone));
  const daysSinceMonday = (wall.getUTCDay() + 6) % 7;
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()) - daysSinceMonday * DAY;
}
