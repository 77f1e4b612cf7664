import type { Logger } from 'pino';
import type { Config } from './config.js';
import { DimseServer } from './dimse/dimse-server.js';
import { routeDimseLibraryLog } from './dimse/library-log.js';
import { storageScpClass } from './dimse/scp.js';
import { ApiSession } from './forward/api-session.js';
import { outboundTransform } from './forward/deidentify.js';
import { Forwarder } from './forward/forwarder.js';
import { StowClient } from './forward/stow-client.js';
import { startSentRetention } from './spool/sent-retention.js';
import { Spool } from './spool/spool.js';

/** A running gateway. */
export interface Gateway {
  /** The bound DIMSE port (useful when configured as 0). */
  dimsePort: number;
  spool: Spool;
  /** Stops taking associations, lets the batch in flight finish, releases the spool; idempotent. */
  close: () => Promise<void>;
}

/**
 * Starts the gateway: opens the spool (forwarding resumes with whatever a previous run left in it), starts the
 * forwarder, then opens the DIMSE port, so that nothing is acknowledged before the queue behind it is running.
 */
export async function startGateway(config: Config, log: Logger): Promise<Gateway> {
  routeDimseLibraryLog(log.child({ part: 'dcmjs-dimse' }));
  const spool = await Spool.open({
    dir: config.GATEWAY_SPOOL_DIR,
    minFreeBytes: config.GATEWAY_SPOOL_MIN_FREE_MB * 1_048_576,
    keepSentMs: config.GATEWAY_KEEP_SENT_HOURS * 3_600_000,
    log: log.child({ part: 'spool' }),
  });
  const stopRetention = startSentRetention(spool, log.child({ part: 'spool' }));
  const forwarder = Forwarder.start({
    spool,
    stow: new StowClient(config.GATEWAY_API_URL),
    session: new ApiSession({
      apiUrl: config.GATEWAY_API_URL,
      username: config.GATEWAY_API_USERNAME,
      password: config.GATEWAY_API_PASSWORD,
    }),
    transform: outboundTransform(
      config.GATEWAY_DEIDENTIFY,
      config.GATEWAY_DEIDENTIFY_KEY === undefined
        ? undefined
        : {
            key: config.GATEWAY_DEIDENTIFY_KEY,
            retainUids: config.GATEWAY_DEIDENTIFY_RETAIN_UIDS,
            workDir: spool.temporaryDir,
          },
    ),
    batchMaxBytes: config.GATEWAY_BATCH_MAX_BYTES,
    retryMinMs: config.GATEWAY_RETRY_MIN_MS,
    retryMaxMs: config.GATEWAY_RETRY_MAX_MS,
    log: log.child({ part: 'forwarder' }),
  });

  let dimse: DimseServer;
  try {
    dimse = await DimseServer.listen({
      host: config.GATEWAY_HOST,
      port: config.GATEWAY_DIMSE_PORT,
      scpClass: storageScpClass({
        policy: { aeTitle: config.GATEWAY_AE_TITLE, allowedCallingAes: config.GATEWAY_ALLOWED_CALLING_AES },
        spool,
        log: log.child({ part: 'dimse' }),
        onStored: () => {
          forwarder.wake();
        },
      }),
      log: log.child({ part: 'dimse' }),
    });
  } catch (error) {
    stopRetention();
    await forwarder.close(0);
    await spool.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    dimsePort: dimse.port,
    spool,
    close: () =>
      (closing ??= (async () => {
        await dimse.close();
        stopRetention();
        await forwarder.close();
        await spool.close();
      })()),
  };
}
