import type {
  ConsultAnswer,
  ConsultChatLine,
  ConsultClientToServerEvents,
  ConsultPeer,
  ConsultServerToClientEvents,
  ConsultWelcome,
  ConsumerOffer,
  LiveAnnotation,
  LiveAnnotationDraft,
  MediaSource,
  PointerPosition,
  SharedViewState,
  TransportOptions,
} from '@telemed/contracts';
import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import { CAMERA_CAPTURE, CAMERA_LAYERS } from '@telemed/contracts';
import { freshAccessToken } from '../../lib/api-client';
import i18n from '../../lib/i18n';

type ConsultSocket = Socket<ConsultServerToClientEvents, ConsultClientToServerEvents>;

/** Someone else in the call, with what is received of them. */
export interface RemotePeer extends ConsultPeer {
  audio: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
  audioPaused: boolean;
}

/** Everything the consult screen shows, replaced (never mutated) on each change. */
export interface ConsultState {
  phase: 'connecting' | 'joined' | 'reconnecting' | 'refused' | 'left';
  /** why the call was refused or dropped, in the service's words */
  problem: string | null;
  self: ConsultPeer | null;
  peers: RemotePeer[];
  presenterPeerId: string | null;
  activeSpeakerPeerId: string | null;
  chat: ConsultChatLine[];
  viewState: SharedViewState | null;
  pointer: PointerPosition;
  annotations: LiveAnnotation[];
  microphone: { track: MediaStreamTrack | null; muted: boolean };
  camera: { track: MediaStreamTrack | null; off: boolean };
  screen: MediaStreamTrack | null;
  /** the media connection's state as the browser sees it */
  link: 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
}

const INITIAL: ConsultState = {
  phase: 'connecting',
  problem: null,
  self: null,
  peers: [],
  presenterPeerId: null,
  activeSpeakerPeerId: null,
  chat: [],
  viewState: null,
  pointer: null,
  annotations: [],
  microphone: { track: null, muted: false },
  camera: { track: null, off: false },
  screen: null,
  link: 'new',
};

/** The camera in simulcast layers: the receiving side (or the server, on a slow downlink) picks one. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = CAMERA_LAYERS.map((layer) => ({ ...layer }));
/** A shared screen: one layer, sharp text at a low frame rate. */
const SCREEN_ENCODINGS: types.RtpEncodingParameters[] = [{ maxBitrate: 800_000, maxFramerate: 5 }];

/**
 * One browser's side of a case's consult: signalling to the video service through the app's origin, a
 * mediasoup-client Device, a send and a receive transport. Recovers by itself from a network drop (ICE restart on
 * the same transports), a dropped socket (joins again) and a media server restart (`consult:rejoin`).
 */
export class ConsultClient {
  #state: ConsultState = INITIAL;
  readonly #listeners = new Set<() => void>();
  readonly #socket: ConsultSocket;
  #device: Device | null = null;
  #send: types.Transport | null = null;
  #recv: types.Transport | null = null;
  readonly #producers = new Map<MediaSource, types.Producer>();
  readonly #consumers = new Map<string, { consumer: types.Consumer; peerId: string; source: MediaSource }>();
  /** the change of each source under way (see #sendTrack) */
  readonly #sending = new Map<MediaSource, Promise<void>>();
  #closed = false;
  #joining: Promise<void> | null = null;

  constructor(readonly caseId: string) {
    this.#socket = io({
      path: '/consult/socket.io',
      transports: ['websocket', 'polling'],
      auth: (send) => {
        void freshAccessToken().then((token) => {
          send({ token: token ?? '' });
        });
      },
    });
    this.#listen();
  }

  /** The state now; `subscribe` tells when it changes (for React's useSyncExternalStore). */
  get state(): ConsultState {
    return this.#state;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getState = (): ConsultState => this.#state;

  #set(change: Partial<ConsultState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener();
  }

  #peer(peerId: string, change: (p: RemotePeer) => RemotePeer): void {
    this.#set({ peers: this.#state.peers.map((p) => (p.peerId === peerId ? change(p) : p)) });
  }

  async #ask<T>(event: keyof ConsultClientToServerEvents, request?: unknown): Promise<T> {
    const timed = this.#socket.timeout(15_000);
    const emit = timed.emitWithAck.bind(timed) as unknown as (
      ev: string,
      ...args: unknown[]
    ) => Promise<ConsultAnswer<T>>;
    const answer = await (request === undefined ? emit(event) : emit(event, request));
    if (!answer.ok) throw new ConsultRefusal(answer.error.code, await inUserLanguage(answer.error));
    return answer.data;
  }

  #listen(): void {
    const s = this.#socket;
    s.on('connect', () => {
      void this.#join();
    });
    s.on('connect_error', (error) => {
      this.#set({ phase: 'reconnecting', problem: error.message });
    });
    s.on('disconnect', (reason) => {
      // a refused or finished call closes its own socket; anything else is a drop socket.io recovers from
      if (!this.#closed && reason !== 'io client disconnect') this.#set({ phase: 'reconnecting' });
    });
    s.on('consult:peer-joined', (peer) => {
      if (this.#state.peers.some((p) => p.peerId === peer.peerId)) return;
      this.#set({
        peers: [
          ...this.#state.peers,
          { ...peer, audio: null, camera: null, screen: null, audioPaused: false },
        ],
      });
    });
    s.on('consult:peer-left', ({ peerId }) => {
      // their live marks leave with them
      this.#set({
        peers: this.#state.peers.filter((p) => p.peerId !== peerId),
        annotations: this.#state.annotations.filter((a) => a.peerId !== peerId),
      });
    });
    s.on('consult:consumer', (offer, ack) => {
      this.#consume(offer)
        .then(() => {
          ack(true);
        })
        .catch(() => {
          ack(false);
        });
    });
    s.on('consult:consumer:closed', ({ consumerId }) => {
      this.#dropConsumer(consumerId);
    });
    s.on('consult:consumer:paused', ({ consumerId, paused }) => {
      const c = this.#consumers.get(consumerId);
      if (c?.source === 'microphone') this.#peer(c.peerId, (p) => ({ ...p, audioPaused: paused }));
    });
    s.on('consult:active-speaker', ({ peerId }) => {
      this.#set({ activeSpeakerPeerId: peerId });
    });
    s.on('consult:chat', (line) => {
      this.#set({ chat: [...this.#state.chat, line] });
    });
    s.on('consult:view', (view) => {
      this.#set({ viewState: view });
    });
    s.on('consult:pointer', ({ position }) => {
      this.#set({ pointer: position });
    });
    s.on('consult:presenter', ({ peerId }) => {
      this.#set({ presenterPeerId: peerId, pointer: null });
    });
    s.on('consult:annotation', (a) => {
      this.#set({ annotations: [...this.#state.annotations.filter((x) => x.id !== a.id), a] });
    });
    s.on('consult:annotation:remove', ({ peerId, id }) => {
      this.#set({
        annotations: this.#state.annotations.filter((a) => !(a.id === id && a.peerId === peerId)),
      });
    });
    s.on('consult:annotation:clear', ({ peerId }) => {
      this.#set({ annotations: this.#state.annotations.filter((a) => a.peerId !== peerId) });
    });
    s.on('consult:rejoin', () => {
      this.#set({ phase: 'reconnecting' });
      void this.#join();
    });
  }

  /** Joins (or joins again): new transports, the local tracks sent again, everything in the room received. */
  #join(): Promise<void> {
    this.#joining ??= this.#joinOnce().finally(() => {
      this.#joining = null;
    });
    return this.#joining;
  }

  async #joinOnce(): Promise<void> {
    if (this.#closed) return;
    this.#dropTransports();
    let welcome: ConsultWelcome;
    try {
      welcome = await this.#ask<ConsultWelcome>('consult:join', { caseId: this.caseId });
    } catch (error) {
      if (error instanceof ConsultRefusal && ['not_found', 'forbidden', 'bad_request'].includes(error.code)) {
        this.#set({ phase: 'refused', problem: error.message });
        this.#socket.disconnect();
        return;
      }
      this.#set({ phase: 'reconnecting', problem: (error as Error).message });
      return;
    }
    const device = new Device();
    await device.load({ routerRtpCapabilities: welcome.routerRtpCapabilities });
    this.#device = device;
    // joined again as a new peer (the socket dropped): the service let this side's marks go with the old one, so they
    // are drawn again under the new
    const before = this.#state.self?.peerId;
    const mine =
      before && before !== welcome.self.peerId
        ? this.#state.annotations.filter((a) => a.peerId === before).map(({ peerId: _, ...a }) => a)
        : [];
    for (const a of mine) this.#socket.emit('consult:annotation', a);
    this.#set({
      phase: 'joined',
      problem: null,
      self: welcome.self,
      peers: welcome.peers.map((p) => ({
        ...p,
        audio: null,
        camera: null,
        screen: null,
        audioPaused: false,
      })),
      presenterPeerId: welcome.presenterPeerId,
      chat: welcome.chat,
      viewState: welcome.viewState ?? this.#state.viewState,
      annotations: [...welcome.annotations, ...mine.map((a) => ({ ...a, peerId: welcome.self.peerId }))],
    });
    const ice = { iceServers: welcome.iceServers, iceTransportPolicy: welcome.iceTransportPolicy };
    this.#recv = this.#transport(
      device,
      await this.#ask<TransportOptions>('consult:transport:create', { direction: 'recv' }),
      'recv',
      ice,
    );
    this.#send = this.#transport(
      device,
      await this.#ask<TransportOptions>('consult:transport:create', { direction: 'send' }),
      'send',
      ice,
    );
    await this.#ask('consult:ready', { rtpCapabilities: device.recvRtpCapabilities });
    // what this side was sending before a rejoin goes out again on the new transport
    const { microphone, camera, screen } = this.#state;
    if (microphone.track?.readyState === 'live')
      await this.#sendTrack('microphone', microphone.track, microphone.muted);
    if (camera.track?.readyState === 'live' && !camera.off) await this.#sendTrack('camera', camera.track);
    if (screen?.readyState === 'live') await this.#produce('screen', screen);
  }

  #transport(
    device: Device,
    options: TransportOptions,
    direction: 'send' | 'recv',
    ice: { iceServers: RTCIceServer[]; iceTransportPolicy: RTCIceTransportPolicy },
  ): types.Transport {
    const params = {
      id: options.id,
      iceParameters: options.iceParameters as unknown as types.IceParameters,
      iceCandidates: options.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: options.dtlsParameters as unknown as types.DtlsParameters,
      ...ice,
    };
    const transport =
      direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.#ask('consult:transport:connect', { transportId: transport.id, dtlsParameters })
        .then(() => {
          done();
        })
        .catch(fail);
    });
    if (direction === 'send')
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        this.#ask<{ producerId: string }>('consult:produce', {
          transportId: transport.id,
          kind,
          rtpParameters,
          source: (appData as { source: MediaSource }).source,
        })
          .then(({ producerId }) => {
            done({ id: producerId });
          })
          .catch(fail);
      });
    transport.on('connectionstatechange', (state) => {
      if (direction === 'recv' || !this.#send) this.#set({ link: state });
      // a dropped network: new ICE credentials for the same transport, no rejoin and no renegotiation of media
      if (state === 'disconnected' || state === 'failed') void this.#restartIce(transport);
    });
    return transport;
  }

  async #restartIce(transport: types.Transport): Promise<void> {
    for (let attempt = 0; attempt < 10 && !transport.closed && !this.#closed; attempt++) {
      if (transport.connectionState === 'connected') return;
      try {
        const { iceParameters } = await this.#ask<{ iceParameters: types.IceParameters }>(
          'consult:transport:restart-ice',
          { transportId: transport.id },
        );
        await transport.restartIce({ iceParameters });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  }

  async #consume(offer: ConsumerOffer): Promise<void> {
    const recv = this.#recv;
    if (!recv) throw new Error('not ready to receive');
    const consumer = await recv.consume({
      id: offer.consumerId,
      producerId: offer.producerId,
      kind: offer.kind,
      rtpParameters: offer.rtpParameters as unknown as types.RtpParameters,
    });
    this.#consumers.set(consumer.id, { consumer, peerId: offer.peerId, source: offer.source });
    this.#peer(offer.peerId, (p) => ({
      ...p,
      [offer.source === 'microphone' ? 'audio' : offer.source]: consumer.track,
      ...(offer.source === 'microphone' ? { audioPaused: offer.producerPaused } : {}),
    }));
    // resumed once the browser holds it, so the first key frame is not lost
    void this.#ask('consult:consumer:resume', { consumerId: consumer.id }).catch(() => undefined);
  }

  #dropConsumer(consumerId: string): void {
    const c = this.#consumers.get(consumerId);
    if (!c) return;
    c.consumer.close();
    this.#consumers.delete(consumerId);
    this.#peer(c.peerId, (p) => ({ ...p, [c.source === 'microphone' ? 'audio' : c.source]: null }));
  }

  #dropTransports(): void {
    for (const { consumer } of this.#consumers.values()) consumer.close();
    this.#consumers.clear();
    this.#producers.clear();
    this.#send?.close();
    this.#recv?.close();
    this.#send = null;
    this.#recv = null;
    this.#set({ peers: this.#state.peers.map((p) => ({ ...p, audio: null, camera: null, screen: null })) });
  }

  async #produce(source: MediaSource, track: MediaStreamTrack, paused = false): Promise<void> {
    const send = this.#send;
    if (!send || !this.#device?.canProduce(track.kind as 'audio' | 'video')) return;
    this.#producers.get(source)?.close();
    const producer = await send.produce({
      track,
      encodings: source === 'camera' ? CAMERA_ENCODINGS : source === 'screen' ? SCREEN_ENCODINGS : undefined,
      codecOptions:
        source === 'microphone' ? { opusDtx: true, opusFec: true } : { videoGoogleStartBitrate: 300 },
      stopTracks: false,
      appData: { source },
    });
    this.#producers.set(source, producer);
    if (paused) {
      producer.pause();
      await this.#ask('consult:producer:pause', { producerId: producer.id, paused: true });
    }
  }

  /**
   * Sends `track` as `source`, one change of a source at a time: a device switched mid-call replaces the track of the
   * producer already sending, so the others keep their consumer and see no gap beyond the new device's first key frame;
   * a track chosen while the join is still producing waits for it rather than making a second producer.
   */
  #sendTrack(source: MediaSource, track: MediaStreamTrack, paused = false): Promise<void> {
    const previous = this.#sending.get(source) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const producer = this.#producers.get(source);
        if (producer && !producer.closed) {
          if (producer.track !== track) await producer.replaceTrack({ track });
        } else await this.#produce(source, track, paused);
      });
    this.#sending.set(source, next);
    return next;
  }

  /** Starts (or switches) the microphone; `deviceId` from the device list, or the default. */
  async useMicrophone(deviceId?: string): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        deviceId: deviceId ? { exact: deviceId } : undefined,
        echoCancellation: true,
        noiseSuppression: true,
      },
    });
    const track = stream.getAudioTracks()[0] ?? null;
    this.#state.microphone.track?.stop();
    this.#set({ microphone: { track, muted: this.#state.microphone.muted } });
    if (track) await this.#sendTrack('microphone', track, this.#state.microphone.muted);
  }

  /** Starts (or switches) the camera: 640x360 is what a county uplink carries well. */
  async useCamera(deviceId?: string): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: {
        deviceId: deviceId ? { exact: deviceId } : undefined,
        ...CAMERA_CAPTURE,
      },
    });
    const track = stream.getVideoTracks()[0] ?? null;
    this.#state.camera.track?.stop();
    this.#set({ camera: { track, off: false } });
    if (track) await this.#sendTrack('camera', track);
  }

  async setMuted(muted: boolean): Promise<void> {
    this.#set({ microphone: { ...this.#state.microphone, muted } });
    const producer = this.#producers.get('microphone');
    if (!producer) return;
    if (muted) producer.pause();
    else producer.resume();
    await this.#ask('consult:producer:pause', { producerId: producer.id, paused: muted });
  }

  async setCameraOff(off: boolean): Promise<void> {
    if (off) {
      const producer = this.#producers.get('camera');
      this.#producers.delete('camera');
      producer?.close();
      if (producer) await this.#ask('consult:producer:close', { producerId: producer.id });
      this.#state.camera.track?.stop();
      this.#set({ camera: { track: null, off: true } });
    } else await this.useCamera();
  }

  async shareScreen(on: boolean): Promise<void> {
    if (!on) {
      const producer = this.#producers.get('screen');
      this.#producers.delete('screen');
      producer?.close();
      if (producer) await this.#ask('consult:producer:close', { producerId: producer.id });
      this.#state.screen?.stop();
      this.#set({ screen: null });
      return;
    }
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 5 }, audio: false });
    const track = stream.getVideoTracks()[0] ?? null;
    if (!track) return;
    track.addEventListener('ended', () => {
      void this.shareScreen(false);
    });
    this.#set({ screen: track });
    await this.#produce('screen', track);
  }

  async sendChat(text: string): Promise<void> {
    const line = await this.#ask<ConsultChatLine>('consult:chat', { text });
    this.#set({ chat: [...this.#state.chat, line] });
  }

  /** The presenter's view, for the others to follow. */
  shareView(view: SharedViewState): void {
    if (this.#state.presenterPeerId !== this.#state.self?.peerId) return;
    this.#socket.emit('consult:view', view);
    this.#set({ viewState: view });
  }

  sharePointer(position: PointerPosition): void {
    if (this.#state.presenterPeerId === this.#state.self?.peerId)
      this.#socket.volatile.emit('consult:pointer', position);
  }

  /** One of this side's marks, drawn or moved, for the others to draw. */
  shareAnnotation(annotation: LiveAnnotationDraft): void {
    const self = this.#state.self?.peerId;
    if (!self) return;
    this.#socket.emit('consult:annotation', annotation);
    this.#set({
      annotations: [
        ...this.#state.annotations.filter((a) => a.id !== annotation.id),
        { ...annotation, peerId: self },
      ],
    });
  }

  /** One of this side's marks removed, on every side. */
  removeAnnotation(id: string): void {
    const self = this.#state.self?.peerId;
    if (!this.#state.annotations.some((a) => a.id === id && a.peerId === self)) return;
    this.#socket.emit('consult:annotation:remove', { id });
    this.#set({ annotations: this.#state.annotations.filter((a) => !(a.id === id && a.peerId === self)) });
  }

  /** All of this side's marks removed, on every side. */
  clearAnnotations(): void {
    const self = this.#state.self?.peerId;
    this.#socket.emit('consult:annotation:clear');
    this.#set({ annotations: this.#state.annotations.filter((a) => a.peerId !== self) });
  }

  async handOver(peerId: string): Promise<void> {
    await this.#ask('consult:presenter', { peerId });
  }

  /** Frames decoded of each received video so far (the call's health, and what the tests read). */
  async framesDecoded(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [id, { consumer }] of this.#consumers) {
      if (consumer.kind !== 'video') continue;
      const stats = await consumer.getStats();
      stats.forEach((r: { type: string; framesDecoded?: number }) => {
        if (r.type === 'inbound-rtp') out[id] = r.framesDecoded ?? 0;
      });
    }
    return out;
  }

  async leave(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ask('consult:leave').catch(() => undefined);
    this.#dropTransports();
    this.#state.microphone.track?.stop();
    this.#state.camera.track?.stop();
    this.#state.screen?.stop();
    this.#socket.disconnect();
    this.#set({ phase: 'left' });
  }
}

/** The service's refusal of a request, with its code. */
export class ConsultRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A refusal of the workflow's own (the case not found, not theirs) in the language on screen; else as the service said it. */
async function inUserLanguage(error: Extract<ConsultAnswer<never>, { ok: false }>['error']): Promise<string> {
  if (!error.reason) return error.message;
  try {
    const { refusalMessages, sayRefusal } = await import('../../lib/refusals');
    const messages = await refusalMessages(i18n.language);
    return sayRefusal({ ...error, detail: error.message }, messages, i18n.language, error.message).message;
  } catch {
    // the words could not be fetched: the service's own still say what happened
    return error.message;
  }
}
