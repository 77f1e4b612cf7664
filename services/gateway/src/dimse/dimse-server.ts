import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { StorageScpClass } from './scp.js';

/** Where the DIMSE port listens and which SCP serves each connection. */
export interface DimseServerOptions {
  host: string;
  /** 0 picks a free port; `port` then tells which. */
  port: number;
  scpClass: StorageScpClass;
  log: Logger;
}

/**
 * The TCP listener for DICOM associations, one SCP per connection. dcmjs-dimse's own Server listens on every
 * interface and hides the bound port; a gateway beside a hospital's modalities must bind the address it is
 * configured with, and shutdown must let associations that are mid-transfer finish.
 */
export class DimseServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #log: Logger;
  #closing: Promise<void> | undefined;

  private constructor(server: Server, log: Logger) {
    this.#server = server;
    this.#log = log;
  }

  /** Starts listening; resolves once the port is bound. */
  static async listen(options: DimseServerOptions): Promise<DimseServer> {
    const server = createServer();
    const dimse = new DimseServer(server, options.log);
    server.on('connection', (socket) => {
      dimse.#accept(socket, options.scpClass);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.host, port: options.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => {
      options.log.error({ err: error }, 'DIMSE listener error');
    });
    return dimse;
  }

  /** The bound port. */
  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /**
   * Stops accepting associations, waits up to `graceMs` for open ones to finish (an instance mid-transfer is
   * either acknowledged after it is durable or never acknowledged), then drops the rest. Idempotent.
   */
  close(graceMs = 5000): Promise<void> {
    this.#closing ??= this.#close(graceMs);
    return this.#closing;
  }

  async #close(graceMs: number): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
    const deadline = Date.now() + graceMs;
    while (this.#sockets.size > 0 && Date.now() < deadline) await delay(50);
    for (const socket of this.#sockets) socket.destroy();
    await stopped;
  }

  #accept(socket: Socket, scpClass: StorageScpClass): void {
    this.#sockets.add(socket);
    socket.on('close', () => {
      this.#sockets.delete(socket);
    });
    const scp = new scpClass(socket);
    scp.on('networkError', (error: unknown) => {
      this.#log.warn({ err: error, peer: socket.remoteAddress }, 'DIMSE connection error');
      socket.destroy();
    });
  }
}
