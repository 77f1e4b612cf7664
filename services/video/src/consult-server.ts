import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { createVerifier } from 'fast-jwt';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import {
  AppError,
  type AccessClaims,
  type ConsultAnswer,
  type ConsultClientToServerEvents,
  type ConsultErrorCode,
  type ConsultPeer,
  type ConsultServerToClientEvents,
  type ConsultSocketData,
  type ConsultWelcome,
  type InterServerEvents,
  LIVE_ANNOTATION_POINTS,
  LiveAnnotationDraft,
  type LiveAnnotation,
  type SharedViewState,
} from '@telemed/contracts';
import type { Actor, SessionLimits } from '@telemed/db';
import { recordConsultEvent, requireConsultAccess, type ConsultEvent, type Domain } from '@telemed/domain';
import { turnCredentials } from './turn.js';
import { Peer, Room, type PeerLink } from './room.js';
import type { WorkerPool } from './workers.js';

type ConsultServerIo = Server<
  ConsultClientToServerEvents,
  ConsultServerToClientEvents,
  InterServerEvents,
  ConsultSocketData
>;
type ConsultSocket = Socket<
  ConsultClientToServerEvents,
  ConsultServerToClientEvents,
  InterServerEvents,
  ConsultSocketData
>;

export interface ConsultServerOptions {
  domain: Domain;
  pool: WorkerPool;
  jwtSecret: string;
  sessionLimits: SessionLimits;
  listenIp: string;
  announcedIp: string | undefined;
  maxIncomingBitrate: number;
  maxOutgoingBitrate: number;
  turn: { urls: string[]; secret: string; ttlSeconds: number; relayOnly: boolean };
  log: Logger;
}

/** A refusal that reaches the browser as it is: the code and the words. */
class Refusal extends Error {
  constructor(
    readonly code: ConsultErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CODES: Partial<Record<string, ConsultErrorCode>> = {
  not_found: 'not_found',
  forbidden: 'forbidden',
  unauthenticated: 'unauthenticated',
  validation_failed: 'bad_request',
  bad_request: 'bad_request',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHAT_MAX = 2000;

/** Where a socket is: its room and its peer, once it has joined. */
interface Seat {
  room: Room;
  peer: Peer;
  actor: Actor;
  joinedAt: number;
}

/**
 * The consult signalling: socket.io behind the api's access tokens, one room per case, each request checked and
 * answered through its acknowledgement. Who may join is the domain's rule (`requireConsultAccess`); who joined, when
 * and for how long goes to the case's history and the audit trail (`recordConsultEvent`).
 */
export class ConsultServer {
  readonly io: ConsultServerIo;
  readonly #rooms = new Map<string, Room>();
  readonly #opening = new Map<string, Promise<Room>>();
  readonly #seats = new Map<string, Seat>();
  readonly #actors = new Map<string, Actor>();
  readonly #options: ConsultServerOptions;

  constructor(server: HttpServer, options: ConsultServerOptions) {
    this.#options = options;
    const verify = createVerifier({ key: options.jwtSecret, algorithms: ['HS256'] });
    this.io = new Server(server, { serveClient: false, path: '/consult/socket.io', cors: { origin: true } });
    this.io.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string') {
        next(new Error('send auth: { token: <accessToken> } from POST /api/auth/login'));
        return;
      }
      let claims: AccessClaims;
      try {
        claims = verify(token) as AccessClaims;
      } catch {
        next(new Error('the access token is invalid or expired; refresh it and connect again'));
        return;
      }
      options.domain.db.sessions
        .actorFor(claims.sid, claims.sub, options.sessionLimits)
        .then((actor) => {
          if (!actor) {
            next(new Error('this session has ended; sign in again'));
            return;
          }
          this.#actors.set(socket.id, actor);
          socket.data = {
            userId: actor.userId,
            sessionId: actor.sessionId,
            role: actor.role,
            departmentId: actor.departmentId,
            displayName: actor.displayName,
          };
          next();
        })
        .catch((error: unknown) => {
          options.log.error({ err: error }, 'consult sign-in failed');
          next(new Error('sign-in failed; try again'));
        });
    });
    this.io.on('connection', (socket) => {
      this.#serve(socket);
    });
  }

  /** The rooms open now (for health, figures and tests). */
  rooms(): Room[] {
    return [...this.#rooms.values()];
  }

  #serve(socket: ConsultSocket): void {
    type Ack = (answer: ConsultAnswer<unknown>) => void;
    /** A request answered through its acknowledgement: the work's result, or why not. */
    const answer =
      (event: keyof ConsultClientToServerEvents, work: (request: Fields) => Promise<unknown>) =>
      (...args: unknown[]): void => {
        const ack = args.at(-1);
        // a request without an acknowledgement cannot be answered: it is dropped
        if (typeof ack !== 'function') return;
        const reply = ack as Ack;
        Promise.resolve()
          .then(() => work(fields(args.length > 1 ? args[0] : {}, event)))
          .then((data) => {
            reply({ ok: true, data });
          })
          .catch((error: unknown) => {
            reply({ ok: false, error: this.#refusalOf(error, event) });
          });
      };
    const seat = (): Seat => {
      const s = this.#seats.get(socket.id);
      if (!s || s.room.closed) throw new Refusal('not_in_room', 'join the consult first (consult:join)');
      return s;
    };
    const transportOf = (s: Seat, r: Fields): types.WebRtcTransport => {
      const id = r.text('transportId');
      const t = s.peer.transports.get(id);
      if (!t) throw new Refusal('bad_request', `no transport ${id} of yours; create one first`);
      return t;
    };
    const producerOf = (s: Seat, r: Fields): types.Producer => {
      const id = r.text('producerId');
      const p = s.peer.producers.get(id);
      if (!p) throw new Refusal('bad_request', `no producer ${id} of yours`);
      return p.producer;
    };
    const consumerOf = (s: Seat, r: Fields): types.Consumer => {
      const id = r.text('consumerId');
      const c = s.peer.consumers.get(id);
      if (!c) throw new Refusal('bad_request', `no consumer ${id} of yours`);
      return c;
    };

    socket.on(
      'consult:join',
      answer('consult:join', (r) => this.#join(socket, r.text('caseId'))),
    );
    socket.on(
      'consult:transport:create',
      answer('consult:transport:create', async (r) => {
        const s = seat();
        return s.room.createTransport(s.peer, r.oneOf('direction', ['send', 'recv'] as const));
      }),
    );
    socket.on(
      'consult:transport:connect',
      answer('consult:transport:connect', async (r) => {
        const t = transportOf(seat(), r);
        await t.connect({ dtlsParameters: r.object('dtlsParameters') as unknown as types.DtlsParameters });
        return null;
      }),
    );
    socket.on(
      'consult:transport:restart-ice',
      answer('consult:transport:restart-ice', async (r) => {
        const iceParameters = await transportOf(seat(), r).restartIce();
        return { iceParameters };
      }),
    );
    socket.on(
      'consult:ready',
      answer('consult:ready', async (r) => {
        const s = seat();
        s.peer.rtpCapabilities = r.object('rtpCapabilities');
        s.room.consumeAll(s.peer).catch((error: unknown) => {
          this.#options.log.warn({ err: error }, 'could not offer the room to a peer');
        });
        return null;
      }),
    );
    socket.on(
      'consult:produce',
      answer('consult:produce', async (r) => {
        const s = seat();
        const producerId = await s.room.produce(
          s.peer,
          transportOf(s, r),
          r.oneOf('kind', ['audio', 'video'] as const),
          r.object('rtpParameters') as unknown as types.RtpParameters,
          r.oneOf('source', ['microphone', 'camera', 'screen'] as const),
        );
        return { producerId };
      }),
    );
    socket.on(
      'consult:producer:close',
      answer('consult:producer:close', async (r) => {
        const s = seat();
        const producer = producerOf(s, r);
        producer.close();
        s.peer.producers.delete(producer.id);
        return null;
      }),
    );
    socket.on(
      'consult:producer:pause',
      answer('consult:producer:pause', async (r) => {
        const producer = producerOf(seat(), r);
        if (r.flag('paused')) await producer.pause();
        else await producer.resume();
        return null;
      }),
    );
    socket.on(
      'consult:consumer:resume',
      answer('consult:consumer:resume', async (r) => {
        await consumerOf(seat(), r).resume();
        return null;
      }),
    );
    socket.on(
      'consult:consumer:layers',
      answer('consult:consumer:layers', async (r) => {
        const consumer = consumerOf(seat(), r);
        const temporalLayer = r.has('temporalLayer') ? r.count('temporalLayer') : undefined;
        await consumer.setPreferredLayers({ spatialLayer: r.count('spatialLayer'), temporalLayer });
        return null;
      }),
    );
    socket.on(
      'consult:chat',
      answer('consult:chat', async (r) => {
        const s = seat();
        const text = r.text('text').trim();
        if (!text) throw new Refusal('bad_request', 'write something to send');
        if (text.length > CHAT_MAX) throw new Refusal('bad_request', `at most ${CHAT_MAX} characters a line`);
        const line = s.room.addChat({ peerId: s.peer.peerId, displayName: s.peer.info.displayName, text });
        socket.to(roomKey(s.room)).emit('consult:chat', line);
        return line;
      }),
    );
    socket.on(
      'consult:presenter',
      answer('consult:presenter', async (r) => {
        const s = seat();
        const peerId = r.text('peerId');
        const presenter = s.room.presenterPeerId;
        if (presenter !== null && presenter !== s.peer.peerId)
          throw new Refusal('forbidden', 'only the presenter hands the presentation over');
        if (!s.room.peers.has(peerId)) throw new Refusal('bad_request', `${peerId} is not in this consult`);
        s.room.presenterPeerId = peerId;
        this.io.to(roomKey(s.room)).emit('consult:presenter', { peerId });
        return null;
      }),
    );
    // view state and the pointer flow often: no acknowledgement, and anything from a non-presenter is dropped
    socket.on('consult:view', (state: unknown) => {
      const s = this.#seats.get(socket.id);
      if (!s || s.room.presenterPeerId !== s.peer.peerId || !isViewState(state)) return;
      s.room.viewState = state;
      socket.to(roomKey(s.room)).emit('consult:view', { ...state, peerId: s.peer.peerId });
    });
    socket.on('consult:pointer', (position: unknown) => {
      const s = this.#seats.get(socket.id);
      if (!s || s.room.presenterPeerId !== s.peer.peerId) return;
      if (position !== null && !isPoint(position)) return;
      // not volatile: a move dropped while the socket is busy could be the last one, leaving the pointer where the
      // presenter no longer points; at most 25 small messages a second, even a county link carries them
      socket.to(roomKey(s.room)).emit('consult:pointer', {
        peerId: s.peer.peerId,
        position: position && { x: position.x, y: position.y },
      });
    });
    // live marks flow while a handle is dragged: no acknowledgement; what is malformed, on another study or another
    // person's mark is dropped (and logged, for whoever wonders why a mark did not arrive)
    socket.on('consult:annotation', (annotation: unknown) => {
      const s = this.#seats.get(socket.id);
      if (!s) return;
      const problem = annotationProblem(annotation, s.room.studyInstanceUid);
      if (problem !== null) {
        this.#options.log.debug({ caseId: s.room.caseId, problem }, 'live mark dropped');
        return;
      }
      const mine: LiveAnnotation = { ...(annotation as LiveAnnotationDraft), peerId: s.peer.peerId };
      if (!s.room.addAnnotation(mine)) {
        this.#options.log.debug({ caseId: s.room.caseId }, 'live mark dropped: not theirs, or too many');
        return;
      }
      socket.to(roomKey(s.room)).emit('consult:annotation', mine);
    });
    socket.on('consult:annotation:remove', (request: unknown) => {
      const s = this.#seats.get(socket.id);
      const id: unknown =
        request && typeof request === 'object' ? (request as { id?: unknown }).id : undefined;
      if (!s || typeof id !== 'string') return;
      if (s.room.removeAnnotation(s.peer.peerId, id))
        socket.to(roomKey(s.room)).emit('consult:annotation:remove', { peerId: s.peer.peerId, id });
    });
    socket.on('consult:annotation:clear', () => {
      const s = this.#seats.get(socket.id);
      if (!s) return;
      s.room.clearAnnotations(s.peer.peerId);
      socket.to(roomKey(s.room)).emit('consult:annotation:clear', { peerId: s.peer.peerId });
    });
    socket.on(
      'consult:leave',
      answer('consult:leave', async () => {
        await this.#leave(socket);
        return null;
      }),
    );
    socket.on('disconnect', () => {
      this.#actors.delete(socket.id);
      void this.#leave(socket);
    });
  }

  async #join(socket: ConsultSocket, caseId: string): Promise<ConsultWelcome> {
    const actor = this.#actors.get(socket.id);
    if (!actor) throw new Refusal('unauthenticated', 'sign in again');
    if (!UUID.test(caseId)) throw new Refusal('bad_request', 'caseId must be the id of a case (a UUID)');
    const earlier = this.#seats.get(socket.id);
    // joining again on the same socket (after the room moved, or a second tab of the page) starts the media afresh
    if (earlier && earlier.room.caseId === caseId && !earlier.room.closed) {
      earlier.peer.closeMedia();
      return this.#welcome(earlier);
    }
    if (earlier) await this.#leave(socket);
    const facts = await requireConsultAccess(this.#options.domain, actor, caseId);
    const room = await this.#roomFor(caseId);
    room.studyInstanceUid = facts.studyInstanceUid;
    const hospitalName = actor.hospitalId
      ? (await this.#options.domain.db.hospitals.getHospital(actor.hospitalId)).name
      : '';
    const info: ConsultPeer = {
      peerId: randomUUID(),
      userId: actor.userId,
      displayName: actor.displayName,
      role: actor.role,
      hospitalName,
      joinedAt: new Date().toISOString(),
    };
    const peer = new Peer(info, this.#linkTo(socket));
    const first = room.peers.size === 0;
    room.add(peer);
    if (first) room.presenterPeerId = peer.peerId;
    const s: Seat = { room, peer, actor, joinedAt: Date.now() };
    this.#seats.set(socket.id, s);
    await socket.join(roomKey(room));
    socket.to(roomKey(room)).emit('consult:peer-joined', info);
    if (first) await this.#record(socket, actor, caseId, 'consult_started', { roomId: room.id });
    await this.#record(socket, actor, caseId, 'consult_joined', { roomId: room.id });
    return this.#welcome(s);
  }

  #welcome({ room, peer, actor }: Seat): ConsultWelcome {
    const { turn } = this.#options;
    return {
      roomId: room.id,
      caseId: room.caseId,
      self: peer.info,
      peers: [...room.peers.values()].filter((p) => p !== peer).map((p) => p.info),
      routerRtpCapabilities: room.rtpCapabilities,
      iceServers: turnCredentials(turn.urls, turn.secret, actor.userId, turn.ttlSeconds),
      iceTransportPolicy: turn.relayOnly ? 'relay' : 'all',
      presenterPeerId: room.presenterPeerId,
      viewState: room.viewState,
      annotations: room.annotations,
      chat: room.chat,
      maxIncomingBitrate: this.#options.maxIncomingBitrate,
      maxOutgoingBitrate: this.#options.maxOutgoingBitrate,
    };
  }

  async #roomFor(caseId: string): Promise<Room> {
    const open = this.#rooms.get(caseId);
    if (open && !open.closed) return open;
    const opening = this.#opening.get(caseId);
    if (opening) return opening;
    const worker = this.#options.pool.take();
    const made = Room.create(caseId, worker, {
      listenIp: this.#options.listenIp,
      announcedIp: this.#options.announcedIp,
      maxIncomingBitrate: this.#options.maxIncomingBitrate,
      maxOutgoingBitrate: this.#options.maxOutgoingBitrate,
      onEmpty: (room) => {
        if (this.#rooms.get(room.caseId) === room) this.#rooms.delete(room.caseId);
        this.#options.pool.release(room.worker);
      },
      onActiveSpeaker: (room, peerId) => {
        this.io.to(roomKey(room)).emit('consult:active-speaker', { peerId });
      },
    })
      .then((room) => {
        this.#rooms.set(caseId, room);
        return room;
      })
      .catch((error: unknown) => {
        this.#options.pool.release(worker);
        throw error;
      })
      .finally(() => this.#opening.delete(caseId));
    this.#opening.set(caseId, made);
    return made;
  }

  #linkTo(socket: ConsultSocket): PeerLink {
    return {
      offer: async (offer) => {
        const made = await socket.timeout(10_000).emitWithAck('consult:consumer', offer);
        return made;
      },
      consumerClosed: (consumerId) => socket.emit('consult:consumer:closed', { consumerId }),
      consumerPaused: (consumerId, paused) => socket.emit('consult:consumer:paused', { consumerId, paused }),
    };
  }

  async #leave(socket: ConsultSocket): Promise<void> {
    const s = this.#seats.get(socket.id);
    if (!s) return;
    this.#seats.delete(socket.id);
    const { room, peer, actor, joinedAt } = s;
    const wasPresenter = room.presenterPeerId === peer.peerId;
    room.remove(peer.peerId);
    // a person's live marks leave with them: the others drop them on consult:peer-left
    room.clearAnnotations(peer.peerId);
    await socket.leave(roomKey(room));
    this.io.to(roomKey(room)).emit('consult:peer-left', { peerId: peer.peerId });
    if (wasPresenter && !room.closed) {
      // the one who has been in longest presents next, so the others always have someone to follow
      const next = [...room.peers.values()][0];
      room.presenterPeerId = next?.peerId ?? null;
      this.io.to(roomKey(room)).emit('consult:presenter', { peerId: room.presenterPeerId });
    }
    const seconds = Math.round((Date.now() - joinedAt) / 1000);
    await this.#record(socket, actor, room.caseId, 'consult_left', { roomId: room.id, seconds });
    if (room.closed)
      await this.#record(socket, actor, room.caseId, 'consult_ended', {
        roomId: room.id,
        seconds: Math.round((Date.now() - room.createdAt.getTime()) / 1000),
      });
  }

  /** Keeps a consult event; a failure is logged, never thrown at the person in the call. */
  async #record(
    socket: ConsultSocket,
    actor: Actor,
    caseId: string,
    event: ConsultEvent,
    details: Record<string, unknown>,
  ): Promise<void> {
    const origin = {
      ip: socket.handshake.address,
      userAgent: socket.handshake.headers['user-agent'] ?? '',
      requestId: socket.id,
    };
    try {
      await recordConsultEvent(this.#options.domain, { actor, origin }, caseId, event, details);
    } catch (error) {
      this.#options.log.warn({ err: error, caseId, event }, 'could not keep a consult event');
    }
  }

  /**
   * A worker died: each room it carried moves to a live worker and its browsers are told to join its media again
   * (their sockets stay connected; the shared view, chat and presenter are kept).
   */
  async moveRoomsOf(died: types.Worker): Promise<void> {
    const moving = [...this.#rooms.values()].filter((r) => r.worker === died && !r.closed);
    for (const room of moving) {
      try {
        this.#options.pool.release(died);
        await room.moveTo(this.#options.pool.take());
        this.io.to(roomKey(room)).emit('consult:rejoin', { reason: 'the media server restarted' });
        this.#options.log.info(
          { caseId: room.caseId, roomId: room.id },
          'consult room moved to a live worker',
        );
      } catch (error) {
        this.#options.log.error(
          { err: error, caseId: room.caseId },
          'a consult room could not move; closing it',
        );
        this.io.to(roomKey(room)).emit('consult:rejoin', { reason: 'the media server restarted' });
        room.close();
      }
    }
  }

  #refusalOf(error: unknown, event: string): Extract<ConsultAnswer<never>, { ok: false }>['error'] {
    if (error instanceof Refusal) return { code: error.code, message: error.message };
    if (error instanceof AppError) {
      return {
        code: CODES[error.code] ?? 'bad_request',
        message: error.message,
        ...(error.reason ? { reason: error.reason } : {}),
        ...(error.params ? { params: error.params } : {}),
      };
    }
    this.#options.log.error({ err: error, event }, 'consult request failed');
    return { code: 'unavailable', message: `${event} failed on the server; try again` };
  }

  async close(): Promise<void> {
    for (const room of this.#rooms.values()) room.close();
    this.#rooms.clear();
    await this.io.close();
  }
}

const roomKey = (room: Room): string => `consult:${room.id}`;

/** The fields of a request from the network, each read as what it must be or refused saying what to send. */
interface Fields {
  has(name: string): boolean;
  text(name: string): string;
  count(name: string): number;
  flag(name: string): boolean;
  object(name: string): Record<string, unknown>;
  oneOf<const T extends string>(name: string, allowed: readonly T[]): T;
}

function fields(request: unknown, event: string): Fields {
  if (!request || typeof request !== 'object' || Array.isArray(request))
    throw new Refusal('bad_request', `${event} takes an object`);
  const r = request as Record<string, unknown>;
  const refuse = (name: string, what: string): never => {
    throw new Refusal('bad_request', `${event}: ${name} must be ${what}`);
  };
  return {
    has: (name) => r[name] !== undefined,
    text: (name) => {
      const v = r[name];
      return typeof v === 'string' ? v : refuse(name, 'a string');
    },
    count: (name) => {
      const v = r[name];
      return Number.isInteger(v) && (v as number) >= 0
        ? (v as number)
        : refuse(name, 'a whole number from 0');
    },
    flag: (name) => {
      const v = r[name];
      return typeof v === 'boolean' ? v : refuse(name, 'true or false');
    },
    object: (name) => {
      const v = r[name];
      return v && typeof v === 'object' && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : refuse(name, 'an object');
    },
    oneOf: (name, allowed) => {
      const v = r[name];
      return allowed.find((a) => a === v) ?? refuse(name, allowed.map((a) => `'${a}'`).join(' or '));
    },
  };
}

function isPoint(v: unknown): v is { x: number; y: number } {
  if (!v || typeof v !== 'object') return false;
  const p = v as { x?: unknown; y?: unknown };
  return Number.isFinite(p.x) && Number.isFinite(p.y);
}

function isViewState(v: unknown): v is SharedViewState {
  if (!v || typeof v !== 'object') return false;
  const s = v as Partial<SharedViewState>;
  return typeof s.studyInstanceUid === 'string' && Number.isInteger(s.imageIndex);
}

/**
 * Why a live mark from the network is not one to relay, or null when it is: its shape (the contract's schema, as
 * many handles as its tool has) and the image it is on (an image of the case's study).
 */
export function annotationProblem(v: unknown, studyInstanceUid: string | null): string | null {
  if (!Value.Check(LiveAnnotationDraft, v)) {
    const first = Value.Errors(LiveAnnotationDraft, v).First();
    return first ? `${first.path || 'the mark'}: ${first.message}` : 'not a live mark';
  }
  if (v.points.length !== LIVE_ANNOTATION_POINTS[v.tool])
    return `a ${v.tool} has ${String(LIVE_ANNOTATION_POINTS[v.tool])} points, not ${String(v.points.length)}`;
  if (studyInstanceUid === null) return 'the case has no study to draw on';
  if (v.studyInstanceUid !== studyInstanceUid) return 'the mark is on another study than the case’s';
  return null;
}
