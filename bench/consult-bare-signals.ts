/**
 * The signalling of the bare consult (consult-bare.ts and its page, consult-bare-page.ts): the least a mediasoup
 * server and a mediasoup-client page need to say to each other to send and receive a camera and a microphone.
 */

/** What the server answers: the data, or what went wrong. */
export type BareAnswer<T> = { ok: true; data: T } | { ok: false; error: string };

/** A WebRtcTransport as the browser needs it (mediasoup's types are the server's; the page gets plain JSON). */
export interface BareTransport {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown;
  dtlsParameters: unknown;
}

/** A consumer made for the page, paused until the page says it holds it. */
export interface BareConsumerOffer {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
}

type Ack<T> = (answer: BareAnswer<T>) => void;

/** What the page asks the server. */
export interface BareClientToServer {
  join: (ack: Ack<{ routerRtpCapabilities: unknown }>) => void;
  transport: (request: { direction: 'send' | 'recv' }, ack: Ack<BareTransport>) => void;
  'transport:connect': (request: { transportId: string; dtlsParameters: unknown }, ack: Ack<null>) => void;
  /** the page can receive now: the server offers it what the others send */
  ready: (request: { rtpCapabilities: unknown }, ack: Ack<null>) => void;
  produce: (
    request: { transportId: string; kind: 'audio' | 'video'; rtpParameters: unknown },
    ack: Ack<{ id: string }>,
  ) => void;
  resume: (request: { consumerId: string }, ack: Ack<null>) => void;
}

/** What the server tells the page. */
export interface BareServerToClient {
  consumer: (offer: BareConsumerOffer, ack: (made: boolean) => void) => void;
}
