import { randomBytes } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type {
  AccessClaims,
  ConsultAnswer,
  ConsultClientToServerEvents,
  ConsultServerToClientEvents,
} from '@telemed/contracts';
import {
  createDatabase,
  createPool,
  createTestDatabase,
  TEST_ADMIN_URL,
  type Actor,
  type Database,
  type TestDatabase,
  seedRadiologyHospitals,
  seedTestPerson,
} from '@telemed/db';
import { claimCase, openCase, submitCase, type Domain } from '@telemed/domain';
import { loadVideoConfig, type VideoConfig } from '../config.js';
import { VideoService } from '../video.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = randomBytes(24).toString('hex');
const origin = { ip: '127.0.0.1', userAgent: 'test', requestId: 'video-test' };
const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

export type ConsultClient = Socket<ConsultServerToClientEvents, ConsultClientToServerEvents>;

/** The study of the world's case. */
export const STUDY_UID = '1.2.3';

/**
 * A small world for the video service on its own database and Redis prefix: a county hospital whose radiology sends
 * to a city radiology department, a second county hospital, and a submitted case claimed by a city specialist.
 * People: `tech` (requesting department), `reader` (assigned), `colleague` (same city department, not assigned),
 * `other` (technician of the other county hospital), `admin`.
 */
export interface VideoWorld {
  db: Database;
  caseId: string;
  service: VideoService;
  /** an access token for one of the people, as the api issues it */
  token(username: string): Promise<string>;
  /** a signed-in socket on the consult signalling (not yet in a room) */
  connect(username: string): Promise<ConsultClient>;
  close(): Promise<void>;
}

export async function createVideoWorld(overrides: Partial<Record<string, string>> = {}): Promise<VideoWorld> {
  const database: TestDatabase = await createTestDatabase(TEST_ADMIN_URL);
  const db = createDatabase(createPool({ connectionString: database.url, max: 4 }));
  const ids = await seedRadiologyHospitals(db, [
    ['COUNTY', 'county'],
    ['OTHER', 'county'],
    ['CITY', 'city'],
  ]);
  await db.seed.ensurePartnership(ids['COUNTY/RAD'] ?? '', ids['CITY/RAD'] ?? '', 0);
  await db.seed.ensurePartnership(ids['OTHER/RAD'] ?? '', ids['CITY/RAD'] ?? '', 0);
  const people: Record<string, Actor> = {};
  for (const [username, role, hospital] of [
    ['tech', 'technician', 'COUNTY'],
    ['other', 'technician', 'OTHER'],
    ['reader', 'specialist', 'CITY'],
    ['colleague', 'specialist', 'CITY'],
    ['admin', 'admin', null],
  ] as const) {
    people[username] = await seedTestPerson(db, ids, username, role, hospital);
  }
  // the use cases relay nothing here: follow-up rows stay in the outbox
  const domain: Domain = { db, jobs: { add: () => Promise.resolve() }, onRelayError: () => undefined };
  const as = (u: string) => ({ actor: people[u] as Actor, origin });
  const opened = await openCase(domain, as('tech'), {
    patient: { mrn: 'XJ-7', name: 'ئايگۈل', sex: 'F' },
    urgency: 'urgent',
    clinicalQuestion: '胸痛，请会诊',
    // the study the live marks are drawn on; its images need not be in the archive for the signalling
    studyInstanceUid: STUDY_UID,
  });
  await submitCase(domain, as('tech'), opened.id);
  await claimCase(domain, as('reader'), opened.id);

  const prefix = `telemed-test:${randomBytes(4).toString('hex')}:`;
  const config: VideoConfig = loadVideoConfig({
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    JWT_SECRET,
    VIDEO_PORT: '0',
    VIDEO_WORKERS: '2',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  const service = await VideoService.start(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 300_000 });
  const sockets: ConsultClient[] = [];

  const token = async (username: string): Promise<string> => {
    const person = people[username];
    if (!person) throw new Error(`no ${username} in the video world`);
    const { sessionId } = await db.sessions.create(person.userId, randomBytes(32), limits, origin);
    const claims: AccessClaims = { sub: person.userId, sid: sessionId, role: person.role };
    return sign(claims);
  };

  return {
    db,
    caseId: opened.id,
    service,
    token,
    connect: async (username) => {
      const socket: ConsultClient = io(`http://127.0.0.1:${service.port}`, {
        path: '/consult/socket.io',
        transports: ['websocket'],
        auth: { token: await token(username) },
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    },
    close: async () => {
      for (const s of sockets) s.disconnect();
      await service.close();
      await db.pool.end();
      await database.drop();
    },
  };
}

/** Sends a request and gives its answer (refusals included), failing after 10 s. */
export async function ask<T>(
  socket: ConsultClient,
  event: keyof ConsultClientToServerEvents,
  request?: unknown,
): Promise<ConsultAnswer<T>> {
  const timed = socket.timeout(10_000);
  const emit = timed.emitWithAck.bind(timed) as unknown as (
    ev: string,
    ...args: unknown[]
  ) => Promise<ConsultAnswer<T>>;
  return request === undefined ? emit(event) : emit(event, request);
}
