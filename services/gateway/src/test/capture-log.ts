import { pino, type Logger } from 'pino';

/** A logger that keeps its records for assertions. */
export function captureLog(): { log: Logger; records: { level: number; msg: string }[] } {
  const records: { level: number; msg: string }[] = [];
  const log = pino(
    { level: 'debug' },
    {
      write(line: string) {
        records.push(JSON.parse(line) as { level: number; msg: string });
      },
    },
  );
  return { log, records };
}
