/**
 * The baseline of `bench:consult`: a bare mediasoup server and mediasoup-client page doing what the consult does with
 * media — one Worker, one Router with the consult's codecs, a WebRtcTransport each way per page, the camera in the
 * consult's three simulcast layers and the microphone, consumers made paused and resumed once the page holds them —
 * with nothing around it: no sign-in, no database, no case, no React. socket.io carries the signalling, as in the
 * consult. The page is bundled with esbuild when the server starts; nothing is fetched from elsewhere.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import mediasoup, { type types } from 'mediasoup';
import { Server, type Socket } from 'socket.io';
import { CAMERA_LAYERS } from '@telemed/contracts';
// the consult's own codecs, so the baseline negotiates exactly what the platform does
import { MEDIA_CODECS } from '../services/video/src/media-codecs.js';
import type { BareAnswer, BareClientToServer, BareServerToClient } from './consult-bare-signals.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The consult's bandwidth caps (VIDEO_MAX_INCOMING_KBPS, VIDEO_MAX_OUTGOING_KBPS defaults). */
const MAX_INCOMING_BITRATE = 1_500_000;
const MAX_OUTGOING_BITRATE = 2_500_000;

interface BarePeer {
  transports: Map<string, types.WebRtcTransport>;
  producers: types.Producer[];
  consumers: Map<string, types.Consumer>;
  rtpCapabilities: types.RtpCapabilities | null;
  socket: Socket<BareClientToServer, BareServerToClient>;
}

const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>bare consult</title></head>
<body>
<p role="status" id="status">connecting</p>
<video id="self" autoplay muted playsinline></video>
<video id="remote" autoplay muted playsinline></video>
<script type="module" src="/page.js"></script>
</body>
</html>`;

/** `entry` and what it imports as one script for the browser, made with esbuild. */
export async function bundleForBrowser(entry: string, format: 'esm' | 'iife'): Promise<string> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text;
  if (!script) throw new Error(`esbuild made no bundle of ${entry}`);
  return script;
}

/** A bare SFU on loopback: its page at `url`, and its worker and router for the benchmark to look at and load. */
export class BareConsult {
  readonly #peers = new Set<BarePeer>();
  #closed = false;

  private constructor(
    readonly url: string,
    readonly worker: types.Worker,
    readonly router: types.Router,
    private readonly http: HttpServer,
    private readonly io: Server<BareClientToServer, BareServerToClient>,
  ) {}

  /** Bundles the page, starts a worker and a router, and listens on loopback at `port` (0: a free one). */
  static async start(port = 0): Promise<BareConsult> {
    const script = await bundleForBrowser(join(here, 'in-browser', 'bare-consult-page.ts'), 'esm');

    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const http = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
      } else if (req.url === '/page.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else if (!req.url?.startsWith('/socket.io')) {
        res.writeHead(404).end();
      }
    });
    const io = new Server<BareClientToServer, BareServerToClient>(http, { serveClient: false });
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    const address = http.address();
    if (!address || typeof address === 'string') throw new Error('the bare consult has no port');
    const bare = new BareConsult(`http://127.0.0.1:${address.port}/`, worker, router, http, io);
    io.on('connection', (socket) => {
      bare.#serve(socket);
    });
    return bare;
  }

  /** The camera producers of the pages connected now. */
  videoProducers(): types.Producer[] {
    return [...this.#peers].flatMap((p) => p.producers.filter((x) => x.kind === 'video' && !x.closed));
  }

  #serve(socket: Socket<BareClientToServer, BareServerToClient>): void {
    const peer: BarePeer = {
      transports: new Map(),
      producers: [],
      consumers: new Map(),
      rtpCapabilities: null,
      socket,
    };
    this.#peers.add(peer);
    socket.on('disconnect', () => {
      this.#peers.delete(peer);
      for (const t of peer.transports.values()) t.close();
    });
    const transportOf = (id: string): types.WebRtcTransport => {
      const t = peer.transports.get(id);
      if (!t) throw new Error(`no transport ${id}`);
      return t;
    };
    const answer =
      <Req, T>(work: (request: Req) => Promise<T>) =>
      (request: Req, ack: (a: BareAnswer<T>) => void): void => {
        work(request).then(
          (data) => {
            ack({ ok: true, data });
          },
          (error: unknown) => {
            ack({ ok: false, error: String(error) });
          },
        );
      };

    socket.on('join', (ack) => {
      ack({ ok: true, data: { routerRtpCapabilities: this.router.rtpCapabilities } });
    });
    socket.on(
      'transport',
      answer(async ({ direction }: { direction: 'send' | 'recv' }) => {
        const t = await this.router.createWebRtcTransport({
          listenIps: [{ ip: '127.0.0.1' }],
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: 600_000,
          appData: { direction },
        });
        peer.transports.set(t.id, t);
        if (direction === 'send') await t.setMaxIncomingBitrate(MAX_INCOMING_BITRATE);
        else await t.setMaxOutgoingBitrate(MAX_OUTGOING_BITRATE);
        return {
          id: t.id,
          iceParameters: t.iceParameters,
          iceCandidates: t.iceCandidates,
          dtlsParameters: t.dtlsParameters,
        };
      }),
    );
    socket.on(
      'transport:connect',
      answer(async ({ transportId, dtlsParameters }: { transportId: string; dtlsParameters: unknown }) => {
        await transportOf(transportId).connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
        return null;
      }),
    );
    socket.on(
      'ready',
      answer(async ({ rtpCapabilities }: { rtpCapabilities: unknown }) => {
        peer.rtpCapabilities = rtpCapabilities as types.RtpCapabilities;
        for (const other of this.#peers)
          if (other !== peer) for (const p of other.producers) void this.#consume(peer, p);
        return null;
      }),
    );
    socket.on(
      'produce',
      answer(async (r: { transportId: string; kind: 'audio' | 'video'; rtpParameters: unknown }) => {
        const producer = await transportOf(r.transportId).produce({
          kind: r.kind,
          rtpParameters: r.rtpParameters as types.RtpParameters,
        });
        peer.producers.push(producer);
        for (const other of this.#peers) if (other !== peer) void this.#consume(other, producer);
        return { id: producer.id };
      }),
    );
    socket.on(
      'resume',
      answer(async ({ consumerId }: { consumerId: string }) => {
        await peer.consumers.get(consumerId)?.resume();
        return null;
      }),
    );
  }

  /** As the consult does: a paused consumer, the top simulcast layer preferred, offered, resumed by the page. */
  async #consume(receiver: BarePeer, producer: types.Producer): Promise<void> {
    const transport = [...receiver.transports.values()].find(
      (t) => (t.appData as { direction?: string }).direction === 'recv',
    );
    const caps = receiver.rtpCapabilities;
    if (!transport || !caps || producer.closed) return;
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities: caps })) return;
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: caps,
      paused: true,
    });
    receiver.consumers.set(consumer.id, consumer);
    if (consumer.type === 'simulcast')
      await consumer.setPreferredLayers({ spatialLayer: CAMERA_LAYERS.length - 1, temporalLayer: 2 });
    const made = await receiver.socket
      .timeout(10_000)
      .emitWithAck('consumer', {
        id: consumer.id,
        producerId: producer.id,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
      })
      .catch(() => false);
    if (!made) {
      consumer.close();
      receiver.consumers.delete(consumer.id);
    }
  }

  /** Closes the pages' sockets, the worker and the HTTP server; once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => {
      void this.io.close(() => {
        resolve();
      });
    });
    this.worker.close();
    if (this.http.listening)
      await new Promise<void>((resolve) =>
        this.http.close(() => {
          resolve();
        }),
      );
  }
}
