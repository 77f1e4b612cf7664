/** A moment as a hospital's staff read it: on that hospital's clock (Beijing or Xinjiang time), to the minute. */
export function hospitalTime(iso: string | null, timeZone: string, language: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}
