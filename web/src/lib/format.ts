/** A moment as a hospital's staff read it: on that hospital's clock (Beijing or Xinjiang time), to the minute. */
export function hospitalTime(iso: string | null, timeZone: string, language: string): string {
  return onClock(iso, timeZone, language, true);
}

function onClock(iso: string | null, timeZone: string, language: string, withYear: boolean): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    ...(withYear ? { year: 'numeric' } : {}),
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** A span of time as people say it, whichever side of zero: 1小时 05分 09秒 / 1h 05m 09s. */
export function spanOf(ms: number, language: string): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return language === 'en'
    ? `${h ? `${String(h)}h ` : ''}${pad(m)}m ${pad(s)}s`
    : `${h ? `${String(h)}小时 ` : ''}${pad(m)}分 ${pad(s)}秒`;
}

/** A moment within the next days, on a hospital's clock, without the year: 11/29 21:01 / 29/11, 21:01. */
export function hospitalTimeShort(iso: string | null, timeZone: string, language: string): string {
  return onClock(iso, timeZone, language, false);
}
