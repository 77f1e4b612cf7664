import type { LiveAnnotation, LiveAnnotationDraft } from './consult-marks.js';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './realtime-events.js';
import type { ProblemParams, Refusal } from './errors.js';
import type { Role } from './people.js';

/**
 * The video consult's signalling: socket.io events between the browser and `services/video`, extending the api's
 * event maps. mediasoup's own parameter objects (RTP capabilities, DTLS and ICE parameters, RTP parameters) pass
 * through as opaque JSON here: the browser's mediasoup-client and the server's mediasoup define and check them.
 */
export type MediaJson = Record<string, unknown>;

/**
 * Every request answers through its acknowledgement: what was asked for, or why not in words a person can act on; a
 * refusal of the workflow's own (the case not found, not theirs) also names its `reason` and `params`, for the
 * browser to say it in its user's language.
 */
export type ConsultAnswer<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: { code: ConsultErrorCode; message: string; reason?: Refusal; params?: ProblemParams };
    };
export type ConsultErrorCode =
  'unauthenticated' | 'not_found' | 'forbidden' | 'bad_request' | 'not_in_room' | 'unavailable';

/** What a microphone, a camera or a shared screen sends. */
export type MediaSource = 'microphone' | 'camera' | 'screen';

/** One person in a consult, as the others see them. */
export interface ConsultPeer {
  peerId: string;
  userId: string;
  displayName: string;
  role: Role;
  /** the hospital they are at, so a county technician and a city specialist tell each other apart */
  hospitalName: string;
  joinedAt: string;
}

/**
 * What a viewer shows, as the presenter drives it: the others follow it and render their own pixels.
 * Coordinates are in image pixels, so the view follows whatever each side's screen size is.
 */
export interface SharedViewState {
  studyInstanceUid: string;
  seriesInstanceUid: string | null;
  /** the slice (or frame) shown, counted from 0 */
  imageIndex: number;
  windowWidth: number | null;
  windowCenter: number | null;
  scale: number | null;
  translation: { x: number; y: number };
  rotation: number;
  hflip: boolean;
  vflip: boolean;
  invert: boolean;
}

/** The presenter's laser pointer, in image pixels of the image shown; null when it leaves the image. */
export type PointerPosition = { x: number; y: number } | null;

/** A chat line. */
export interface ConsultChatLine {
  id: string;
  peerId: string;
  displayName: string;
  text: string;
  at: string;
}

/** A TURN or STUN server for the browser's RTCPeerConnection, with short-lived credentials signed by the service. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** Everything a browser needs once it is in the room. */
export interface ConsultWelcome {
  roomId: string;
  caseId: string;
  self: ConsultPeer;
  peers: ConsultPeer[];
  routerRtpCapabilities: MediaJson;
  iceServers: IceServer[];
  /** only relay candidates: the site's network allows media only through TURN */
  iceTransportPolicy: 'all' | 'relay';
  presenterPeerId: string | null;
  viewState: SharedViewState | null;
  /** the live marks of everyone in the room now (a person's go when they leave) */
  annotations: LiveAnnotation[];
  chat: ConsultChatLine[];
  /** the bitrate caps for this peer's uplink, chosen for a county link */
  maxIncomingBitrate: number;
  maxOutgoingBitrate: number;
}

/** A WebRTC transport as the browser's mediasoup-client `createSendTransport`/`createRecvTransport` takes it. */
export interface TransportOptions {
  id: string;
  iceParameters: MediaJson;
  iceCandidates: MediaJson[];
  dtlsParameters: MediaJson;
}

/** A consumer the server made for this browser, to be created with `transport.consume` and then resumed. */
export interface ConsumerOffer {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  rtpParameters: MediaJson;
  producerPaused: boolean;
}

type Ack<T> = (answer: ConsultAnswer<T>) => void;

/** What the browser asks of the video service. */
export interface ConsultClientToServerEvents extends ClientToServerEvents {
  /** enter the consult of a case (the access token's user must be allowed on it) */
  'consult:join': (request: { caseId: string }, ack: Ack<ConsultWelcome>) => void;
  'consult:transport:create': (request: { direction: 'send' | 'recv' }, ack: Ack<TransportOptions>) => void;
  'consult:transport:connect': (
    request: { transportId: string; dtlsParameters: MediaJson },
    ack: Ack<null>,
  ) => void;
  /** ICE restart after the network dropped: new ICE parameters for the same transport, no rejoin */
  'consult:transport:restart-ice': (
    request: { transportId: string },
    ack: Ack<{ iceParameters: MediaJson }>,
  ) => void;
  /** the browser's RTP capabilities, once it can receive: the server then offers it every producer in the room */
  'consult:ready': (request: { rtpCapabilities: MediaJson }, ack: Ack<null>) => void;
  'consult:produce': (
    request: { transportId: string; kind: 'audio' | 'video'; rtpParameters: MediaJson; source: MediaSource },
    ack: Ack<{ producerId: string }>,
  ) => void;
  'consult:producer:close': (request: { producerId: string }, ack: Ack<null>) => void;
  /** mute and unmute */
  'consult:producer:pause': (request: { producerId: string; paused: boolean }, ack: Ack<null>) => void;
  'consult:consumer:resume': (request: { consumerId: string }, ack: Ack<null>) => void;
  /** the simulcast layer this browser wants of a video (lower on a slow link or a small tile) */
  'consult:consumer:layers': (
    request: { consumerId: string; spatialLayer: number; temporalLayer?: number },
    ack: Ack<null>,
  ) => void;
  'consult:chat': (request: { text: string }, ack: Ack<ConsultChatLine>) => void;
  /** the presenter's view; from anyone else it is refused */
  'consult:view': (state: SharedViewState) => void;
  'consult:pointer': (position: PointerPosition) => void;
  /** hand the presenter's role to another peer (the presenter, or anyone when nobody presents) */
  'consult:presenter': (request: { peerId: string }, ack: Ack<null>) => void;
  /** a mark drawn or moved; the service drops one that is malformed, on another study, or another person's */
  'consult:annotation': (annotation: LiveAnnotationDraft) => void;
  /** one of one's own marks removed */
  'consult:annotation:remove': (request: { id: string }) => void;
  /** all of one's own marks removed, on every side */
  'consult:annotation:clear': () => void;
  'consult:leave': (ack: Ack<null>) => void;
}

/** What the video service tells the browser. */
export interface ConsultServerToClientEvents extends ServerToClientEvents {
  'consult:peer-joined': (peer: ConsultPeer) => void;
  'consult:peer-left': (peer: { peerId: string }) => void;
  /** a new thing to receive; the browser acknowledges once its consumer exists, then the server resumes it */
  'consult:consumer': (offer: ConsumerOffer, ack: (ok: boolean) => void) => void;
  'consult:consumer:closed': (event: { consumerId: string }) => void;
  'consult:consumer:paused': (event: { consumerId: string; paused: boolean }) => void;
  'consult:active-speaker': (event: { peerId: string | null }) => void;
  'consult:chat': (line: ConsultChatLine) => void;
  'consult:view': (state: SharedViewState & { peerId: string }) => void;
  'consult:pointer': (event: { peerId: string; position: PointerPosition }) => void;
  'consult:presenter': (event: { peerId: string | null }) => void;
  'consult:annotation': (annotation: LiveAnnotation) => void;
  'consult:annotation:remove': (event: { peerId: string; id: string }) => void;
  'consult:annotation:clear': (event: { peerId: string }) => void;
  /**
   * The room's media moved (its worker stopped and the room was recreated on a live one): drop every transport and
   * join again on the same socket; the view, chat and presenter are kept.
   */
  'consult:rejoin': (event: { reason: string }) => void;
}

/** What the video service keeps on each socket. */
export interface ConsultSocketData extends SocketData {
  displayName: string;
}

/** The consult page of a case: a notification's deep link. */
export const consultPath = (caseId: string): string => `/cases/${caseId}/consult`;
