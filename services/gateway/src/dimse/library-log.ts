import dcmjsDimse from 'dcmjs-dimse';
import type { Logger } from 'pino';

/**
 * Sends dcmjs-dimse's own log lines into the gateway's log. The library writes every PDU at `info` to the
 * console, which would drown the gateway's one line per association; here that chatter is `debug`, and its
 * warnings and errors stay what they are.
 */
export function routeDimseLibraryLog(log: Logger): void {
  const library = dcmjsDimse.log;
  library.methodFactory = (methodName) => {
    return (...message: unknown[]) => {
      const text = message.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
      if (methodName === 'error') log.error(text);
      else if (methodName === 'warn') log.warn(text);
      else log.debug(text);
    };
  };
  library.setLevel(log.isLevelEnabled('debug') ? 'trace' : 'warn');
}
