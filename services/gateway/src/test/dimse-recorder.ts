import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a DICOM peer and the gateway that keeps every byte the peer sends, so a test can compare
 * the data sets as they were on the wire with what the gateway stored and forwarded.
 */
export class DimseRecorder {
  readonly #server: Server;
  readonly #sent: Buffer[] = [];
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts relaying a free loopback port to `targetPort`. */
  static async start(targetPort: number): Promise<DimseRecorder> {
    const server = createServer();
    const recorder = new DimseRecorder(server);
    server.on('connection', (client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      recorder.#sockets.add(client).add(upstream);
      client.on('data', (chunk) => recorder.#sent.push(chunk));
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return recorder;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The data sets of the DIMSE messages the peer sent, in order (PS3.8 9.3.5: P-DATA-TF, PDVs). */
  dataSets(): Buffer[] {
    const stream = Buffer.concat(this.#sent);
    const dataSets: Buffer[] = [];
    let current: Buffer[] = [];
    let offset = 0;
    while (offset + 6 <= stream.length) {
      const type = stream.readUInt8(offset);
      const length = stream.readUInt32BE(offset + 2);
      const end = offset + 6 + length;
      if (type === 0x04) {
        let pdv = offset + 6;
        while (pdv < end) {
          const pdvLength = stream.readUInt32BE(pdv);
          const control = stream.readUInt8(pdv + 5);
          const isCommand = (control & 0x01) !== 0;
          const isLast = (control & 0x02) !== 0;
          if (!isCommand) {
            current.push(stream.subarray(pdv + 6, pdv + 4 + pdvLength));
            if (isLast) {
              dataSets.push(Buffer.concat(current));
              current = [];
            }
          }
          pdv += 4 + pdvLength;
        }
      }
      offset = end;
    }
    return dataSets;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }
}
