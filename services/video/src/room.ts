import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import {
  LIVE_ANNOTATIONS_PER_PEER,
  type ConsultChatLine,
  type ConsultPeer,
  type ConsumerOffer,
  type LiveAnnotation,
  type MediaSource,
  type SharedViewState,
  type TransportOptions,
} from '@telemed/contracts';
import { MEDIA_CODECS } from './media-codecs.js';
import { CAMERA_LAYERS } from '@telemed/contracts';

/** How a peer is told things: the room never holds a socket, only these. */
export interface PeerLink {
  /** offer a consumer and wait until the browser has made it (false: it could not) */
  offer(offer: ConsumerOffer): Promise<boolean>;
  consumerClosed(consumerId: string): void;
  consumerPaused(consumerId: string, paused: boolean): void;
}

/** What a room needs of the place it lives in. */
export interface RoomSettings {
  listenIp: string;
  announcedIp: string | undefined;
  maxIncomingBitrate: number;
  maxOutgoingBitrate: number;
  /** a peer left an empty room behind, or the room closed */
  onEmpty: (room: Room) => void;
  onActiveSpeaker: (room: Room, peerId: string | null) => void;
}

const CHAT_KEPT = 200;
const ANNOTATIONS_KEPT = 500;

/**
 * One person in a consult, with the mediasoup objects they own: their transports, what they send (producers) and
 * what they receive (consumers). `closeMedia()` and `close()` may be called any number of times.
 */
export class Peer {
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, { producer: types.Producer; source: MediaSource }>();
  readonly consumers = new Map<string, types.Consumer>();
  rtpCapabilities: types.RtpCapabilities | null = null;
  #closed = false;

  constructor(
    readonly info: ConsultPeer,
    readonly link: PeerLink,
  ) {}

  get peerId(): string {
    return this.info.peerId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The transport this peer receives on, if it made one. */
  recvTransport(): types.WebRtcTransport | undefined {
    for (const t of this.transports.values())
      if ((t.appData as { direction?: string }).direction === 'recv') return t;
    return undefined;
  }

  /** Closes every transport (and with them the producers and consumers on them); the peer stays in the room. */
  closeMedia(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.rtpCapabilities = null;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeMedia();
  }
}

/**
 * The consult of one case: a mediasoup Router on one worker, the peers in it, and what they share besides media —
 * the presenter, the view the others follow, live annotations and the chat. The shared state outlives the media:
 * when the worker dies the room moves to another (`moveTo`) and keeps it.
 */
export class Room {
  readonly id = randomUUID();
  readonly peers = new Map<string, Peer>();
  readonly createdAt = new Date();
  presenterPeerId: string | null = null;
  viewState: SharedViewState | null = null;
  /** the case's study as the last to join found it: live marks on any other are refused */
  studyInstanceUid: string | null = null;
  readonly annotations: LiveAnnotation[] = [];
  readonly chat: ConsultChatLine[] = [];
  #worker: types.Worker;
  #router: types.Router;
  #speaker: types.ActiveSpeakerObserver;
  #closed = false;

  private constructor(
    readonly caseId: string,
    worker: types.Worker,
    router: types.Router,
    speaker: types.ActiveSpeakerObserver,
    private readonly settings: RoomSettings,
  ) {
    this.#worker = worker;
    this.#router = router;
    this.#speaker = speaker;
  }

  static async create(caseId: string, worker: types.Worker, settings: RoomSettings): Promise<Room> {
    const { router, speaker } = await Room.#media(worker);
    const room = new Room(caseId, worker, router, speaker, settings);
    room.#watchSpeaker();
    return room;
  }

  static async #media(
    worker: types.Worker,
  ): Promise<{ router: types.Router; speaker: types.ActiveSpeakerObserver }> {
    const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const speaker = await router.createActiveSpeakerObserver({ interval: 500 });
    return { router, speaker };
  }

  #watchSpeaker(): void {
    const speaker = this.#speaker;
    speaker.on('dominantspeaker', ({ producer }: { producer: types.Producer }) => {
      if (speaker !== this.#speaker) return;
      const peerId = (producer.appData as { peerId?: string }).peerId ?? null;
      this.settings.onActiveSpeaker(this, peerId);
    });
  }

  /** The worker the room's router runs on. */
  get worker(): types.Worker {
    return this.#worker;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  add(peer: Peer): void {
    this.peers.set(peer.peerId, peer);
  }

  /** Takes a peer out; an empty room closes. */
  remove(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    peer.close();
    this.peers.delete(peerId);
    if (this.presenterPeerId === peerId) this.presenterPeerId = null;
    if (this.peers.size === 0) this.close();
  }

  async createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<TransportOptions> {
    const transport = await this.#router.createWebRtcTransport({
      listenIps: [{ ip: this.settings.listenIp, announcedIp: this.settings.announcedIp }],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 600_000,
      appData: { peerId: peer.peerId, direction },
    });
    if (peer.closed) {
      transport.close();
      throw new Error('the peer left while its transport was made');
    }
    peer.transports.set(transport.id, transport);
    if (direction === 'send') await transport.setMaxIncomingBitrate(this.settings.maxIncomingBitrate);
    else await transport.setMaxOutgoingBitrate(this.settings.maxOutgoingBitrate);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters as unknown as Record<string, unknown>,
      iceCandidates: transport.iceCandidates as unknown as Record<string, unknown>[],
      dtlsParameters: transport.dtlsParameters as unknown as Record<string, unknown>,
    };
  }

  /** A new producer of `peer`: every other ready peer is offered it. */
  async produce(
    peer: Peer,
    transport: types.WebRtcTransport,
    kind: 'audio' | 'video',
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<string> {
    const producer = await transport.produce({
      kind,
      rtpParameters,
      appData: { peerId: peer.peerId, source },
    });
    peer.producers.set(producer.id, { producer, source });
    producer.on('transportclose', () => peer.producers.delete(producer.id));
    if (kind === 'audio') await this.#speaker.addProducer({ producerId: producer.id }).catch(() => undefined);
    for (const other of this.peers.values())
      if (other !== peer) void this.consume(other, peer, producer, source);
    return producer.id;
  }

  /** Offers every producer already in the room to a peer that has just become ready to receive. */
  async consumeAll(peer: Peer): Promise<void> {
    await Promise.all(
      [...this.peers.values()]
        .filter((p) => p !== peer)
        .flatMap((owner) =>
          [...owner.producers.values()].map(({ producer, source }) =>
            this.consume(peer, owner, producer, source),
          ),
        ),
    );
  }

  /**
   * Makes `receiver` a consumer of `producer`, paused until its browser says the consumer exists (so no key frame is
   * lost), then resumed. Nothing happens for a receiver not ready or unable to decode it.
   */
  async consume(receiver: Peer, owner: Peer, producer: types.Producer, source: MediaSource): Promise<void> {
    const transport = receiver.recvTransport();
    const caps = receiver.rtpCapabilities;
    if (!transport || !caps || producer.closed) return;
    if (!this.#router.canConsume({ producerId: producer.id, rtpCapabilities: caps })) return;
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: caps,
      paused: true,
      appData: { peerId: owner.peerId, source },
    });
    receiver.consumers.set(consumer.id, consumer);
    const gone = (): void => {
      if (receiver.consumers.delete(consumer.id)) receiver.link.consumerClosed(consumer.id);
    };
    consumer.on('transportclose', () => receiver.consumers.delete(consumer.id));
    consumer.on('producerclose', gone);
    consumer.on('producerpause', () => {
      receiver.link.consumerPaused(consumer.id, true);
    });
    consumer.on('producerresume', () => {
      receiver.link.consumerPaused(consumer.id, false);
    });
    // the camera's top simulcast layer preferred: a consumer starts on the lowest, so a county downlink gets a
    // picture at once, and climbs as the link allows
    if (consumer.type === 'simulcast')
      await consumer.setPreferredLayers({ spatialLayer: CAMERA_LAYERS.length - 1, temporalLayer: 2 });
    const made = await receiver.link
      .offer({
        consumerId: consumer.id,
        producerId: producer.id,
        peerId: owner.peerId,
        kind: consumer.kind,
        source,
        rtpParameters: consumer.rtpParameters,
        producerPaused: consumer.producerPaused,
      })
      .catch(() => false);
    if (!made) {
      consumer.close();
      receiver.consumers.delete(consumer.id);
    }
  }

  addChat(line: Omit<ConsultChatLine, 'id' | 'at'>): ConsultChatLine {
    const full = { ...line, id: randomUUID(), at: new Date().toISOString() };
    this.chat.push(full);
    if (this.chat.length > CHAT_KEPT) this.chat.splice(0, this.chat.length - CHAT_KEPT);
    return full;
  }

  /**
   * Keeps a live mark, new or moved. A mark is its author's: an id another peer drew is refused, as is a new mark
   * from a peer who already has `LIVE_ANNOTATIONS_PER_PEER`. Says whether it was kept.
   */
  addAnnotation(annotation: LiveAnnotation): boolean {
    const at = this.annotations.findIndex((a) => a.id === annotation.id);
    if (at >= 0) {
      if (this.annotations[at]?.peerId !== annotation.peerId) return false;
      this.annotations[at] = annotation;
      return true;
    }
    const own = this.annotations.filter((a) => a.peerId === annotation.peerId).length;
    if (own >= LIVE_ANNOTATIONS_PER_PEER) return false;
    this.annotations.push(annotation);
    if (this.annotations.length > ANNOTATIONS_KEPT) this.annotations.splice(0, 1);
    return true;
  }

  /** Takes one of `peerId`'s marks away; says whether there was one. */
  removeAnnotation(peerId: string, id: string): boolean {
    const at = this.annotations.findIndex((a) => a.id === id && a.peerId === peerId);
    if (at < 0) return false;
    this.annotations.splice(at, 1);
    return true;
  }

  clearAnnotations(peerId: string): void {
    for (let i = this.annotations.length - 1; i >= 0; i--)
      if (this.annotations[i]?.peerId === peerId) this.annotations.splice(i, 1);
  }

  /**
   * Moves the room's media to `worker` (its own died): a new Router, every peer's transports dropped; the peers and
   * the shared state stay, and each browser joins the media again.
   */
  async moveTo(worker: types.Worker): Promise<void> {
    for (const peer of this.peers.values()) peer.closeMedia();
    const { router, speaker } = await Room.#media(worker);
    if (this.#closed) {
      router.close();
      return;
    }
    this.#router.close();
    this.#router = router;
    this.#speaker = speaker;
    this.#worker = worker;
    this.#watchSpeaker();
  }

  /** Closes every peer and the router; once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    this.#router.close();
    this.settings.onEmpty(this);
  }
}
