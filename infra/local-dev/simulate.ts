/**
 * `pnpm simulate`: a day at the hospitals, against a running platform (`pnpm start` in another terminal).
 *
 * County technicians send cases in the proportions of `case-mix.ts` (CT and MR with a small generated study, plain
 * films and ultrasound as a request alone), more in the morning than at night on their hospital's clock, one in twenty
 * STAT. Every city specialist is a bot: signed in, listening on socket.io, it starts reading what the router assigns
 * it, writes a preliminary and then a final report after the time such a study takes, and claims STAT work left in
 * its department's pool. An administrator's socket prints the queue figures as they move.
 *
 *   pnpm simulate [--api http://127.0.0.1:8080] [--speed 60] [--per-day 600] [--minutes 0] [--seed 1]
 *
 * --speed: simulated seconds per real second (60: a simulated hour passes in a real minute); --per-day: cases each
 * county hospital sends in a simulated day; --minutes: stop after this many real minutes (0: at Ctrl-C).
 * DEMO_PASSWORD must match the platform's (default demo12345). The technicians and specialists played are the
 * platform's own (asked of the api as `admin`), except the DIMSE gateway's account (GATEWAY_API_USERNAME, default
 * qingchuan-gateway).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  DEFAULT_TIME_ZONE,
  SOCKET_EVENTS,
  type Case,
  type CasePage,
  type Department,
  type Hospital,
  type Notification,
  type QueueFigures,
  type User,
} from '@telemed/contracts';
import { encodeMultipartRelated, generateSeries, newBoundary } from '@telemed/dicom';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@telemed/contracts';
import { EXAM_MIX, drawCase, hourlyRate, readMinutes, seededRandom, type DrawnCase } from './case-mix.js';

const { values } = parseArgs({
  options: {
    api: { type: 'string', default: process.env.API_URL ?? 'http://127.0.0.1:8080' },
    speed: { type: 'string', default: '60' },
    'per-day': { type: 'string', default: '600' },
    minutes: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  },
});
const API = values.api.replace(/\/$/, '');
const SPEED = Number(values.speed);
const PER_DAY = Number(values['per-day']);
const MINUTES = Number(values.minutes);
const PASSWORD = process.env.DEMO_PASSWORD ?? 'demo12345';
for (const [name, value] of [
  ['--speed', SPEED],
  ['--per-day', PER_DAY],
  ['--minutes', MINUTES],
] as const) {
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`${name} must be a number of at least 0\n`);
    process.exit(2);
  }
}
const random = seededRandom(Number(values.seed) || 1);
const startedAt = Date.now();

/** Hour and minute on a hospital's clock at the simulated instant, which starts now and runs `SPEED` times faster. */
function simulatedTime(timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(startedAt + (Date.now() - startedAt) * SPEED);
}

function say(message: string): void {
  process.stdout.write(`[sim ${simulatedTime(DEFAULT_TIME_ZONE)} Beijing time] ${message}\n`);
}

/** One signed-in demo user talking to the api. */
class Session {
  #token = '';
  constructor(readonly username: string) {}

  async signIn(): Promise<void> {
    const res = await fetch(`${API}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: this.username, password: PASSWORD }),
    });
    if (!res.ok) {
      throw new Error(
        `${this.username} cannot sign in (${res.status}): is the platform running at ${API} with DEMO_PASSWORD?`,
      );
    }
    this.#token = ((await res.json()) as { accessToken: string }).accessToken;
  }

  get token(): string {
    return this.#token;
  }

  /** A JSON request; signs in again once when the access token has expired. */
  async call<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
    const res = await fetch(`${API}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401 && !retried) {
      await this.signIn();
      return this.call(method, path, body, true);
    }
    if (!res.ok) throw new Error(`${method} ${path} as ${this.username}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Sends a small generated study over STOW-RS. */
  async stow(files: Uint8Array[]): Promise<void> {
    const boundary = newBoundary();
    const res = await fetch(`${API}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.#token}`,
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
      body: Buffer.from(
        encodeMultipartRelated(
          files.map((body) => ({ contentType: 'application/dicom', body })),
          boundary,
        ),
      ),
    });
    if (!res.ok) throw new Error(`STOW as ${this.username}: ${res.status} ${await res.text()}`);
  }

  socket(): Socket<ServerToClientEvents, ClientToServerEvents> {
    return io(API, { auth: { token: this.#token }, transports: ['websocket'] });
  }
}

const counts = { sent: 0, read: 0, claimed: 0, errors: 0 };
const drawn = new Map<string, DrawnCase>();

function report(c: DrawnCase, kind: 'preliminary' | 'final'): object {
  const normal = random() < 0.7;
  return {
    kind,
    findings: normal
      ? `${c.exam.bodyPart} ${c.exam.modality}：未见明确异常密度/信号影，结构清晰。`
      : `${c.exam.bodyPart} ${c.exam.modality}：见局灶性异常影，边界欠清，建议结合临床。`,
    impression: normal ? '未见明显异常。' : '异常所见，建议随访或进一步检查。',
    critical: !normal && c.urgency === 'stat',
  };
}

async function sendCase(tech: Session, department: 'RAD' | 'US'): Promise<void> {
  const c = drawCase(random, department);
  const accessionNumber = `SIM${randomBytes(5).toString('hex').toUpperCase()}`;
  if (c.exam.modality === 'CT' || c.exam.modality === 'MR') {
    const files = [
      ...generateSeries({
        modality: c.exam.modality,
        slices: 3,
        rows: 128,
        columns: 128,
        seed: Math.floor(random() * 1e9),
        accessionNumber,
      }),
    ];
    await tech.stow(files);
  }
  const created = await tech.call<Case>('POST', '/api/cases', {
    patient: {
      mrn: `SIM-${randomBytes(4).toString('hex')}`,
      name: '模拟患者',
      sex: random() < 0.5 ? 'M' : 'F',
    },
    urgency: c.urgency,
    clinicalQuestion: c.exam.question,
    modality: c.exam.modality,
    bodyPart: c.exam.bodyPart,
    accessionNumber,
  });
  drawn.set(created.id, c);
  await tech.call<Case>('POST', `/api/cases/${created.id}/submit`);
  counts.sent++;
}

/** A specialist bot: reads what it is given, at the pace such studies take. */
class Reader {
  readonly #busy = new Set<string>();
  constructor(readonly session: Session) {}

  start(): void {
    const socket = this.session.socket();
    socket.on(SOCKET_EVENTS.notification, (n: Notification) => {
      if (n.kind === 'case.assigned' && n.caseId) this.read(n.caseId, 'assigned');
    });
    socket.on('connect_error', (error) => {
      say(`${this.session.username}: socket refused (${error.message}); signing in again`);
      void this.session.signIn().then(() => {
        (socket.auth as { token: string }).token = this.session.token;
      });
    });
    // what arrived while disconnected, and STAT work waiting in the pool
    setInterval(() => {
      void this.sweep().catch(() => {
        counts.errors++;
      });
    }, 10_000).unref();
  }

  async sweep(): Promise<void> {
    const mine = await this.session.call<CasePage>(
      'GET',
      '/api/cases?state=assigned&state=in_review&limit=50',
    );
    for (const c of mine.items) if (c.assignedSpecialistId) this.read(c.id, c.state);
    const pool = await this.session.call<CasePage>('GET', '/api/cases?state=submitted&urgency=stat&limit=5');
    for (const c of pool.items) {
      if (c.routingDecision?.outcome !== 'pool') continue;
      try {
        await this.session.call('POST', `/api/cases/${c.id}/claim`);
        counts.claimed++;
        this.read(c.id, 'assigned');
      } catch {
        // a colleague or the router was quicker
      }
    }
  }

  read(caseId: string, state: Case['state']): void {
    if (this.#busy.has(caseId)) return;
    this.#busy.add(caseId);
    const c = drawn.get(caseId) ?? drawCase(random);
    const realMs = (readMinutes(c, random) * 60_000) / SPEED;
    const step = async (): Promise<void> => {
      if (state === 'assigned') await this.session.call('POST', `/api/cases/${caseId}/start-review`);
      await sleep(realMs);
      await this.session.call('POST', `/api/cases/${caseId}/reports`, report(c, 'preliminary'));
      await sleep(realMs * 0.3);
      await this.session.call('POST', `/api/cases/${caseId}/reports`, report(c, 'final'));
      counts.read++;
    };
    step()
      .catch(() => {
        // reassigned away, or released: someone else has it now
        counts.errors++;
      })
      .finally(() => {
        this.#busy.delete(caseId);
      });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function printFigures(f: QueueFigures): void {
  const s = f.casesByState;
  const route = f.queues.find((q) => q.queue === 'route');
  const today = f.turnaround[0];
  say(
    `sent ${counts.sent} · submitted ${s.submitted ?? 0} · assigned ${s.assigned ?? 0} · reading ${s.in_review ?? 0}` +
      ` · preliminary ${s.preliminary ?? 0} · final ${s.final ?? 0} | route queue ${(route?.prioritized ?? 0) + (route?.waiting ?? 0)}` +
      ` | SLA at risk ${f.atRisk.length}, breached ${f.breached.length}` +
      (today?.toAssignedP50 != null
        ? ` | ${today.departmentName} submitted→assigned p50 ${today.toAssignedP50} min`
        : ''),
  );
}

async function main(): Promise<void> {
  const admin = new Session('admin');
  await admin.signIn();
  // the people come from the platform itself, so the simulator follows whatever the administrator has set up
  const people = (role: 'technician' | 'specialist'): Promise<User[]> =>
    admin.call<User[]>('GET', `/api/users?role=${role}`).then((users) => users.filter((u) => u.active));
  const ultrasound = new Set(
    (await admin.call<Department[]>('GET', '/api/departments'))
      .filter((d) => d.specialty === 'ultrasound')
      .map((d) => d.id),
  );
  // the DIMSE gateway's account is a technician too, but it forwards what modalities push and opens no cases
  const gatewayAccount = process.env.GATEWAY_API_USERNAME ?? 'qingchuan-gateway';
  const technicians = (await people('technician')).filter((t) => t.username !== gatewayAccount);
  // each county sends on its own clock: 白沙 keeps Xinjiang time, its morning peak two hours after Beijing's
  const timeZones = new Map(
    (await admin.call<Hospital[]>('GET', '/api/hospitals')).map((h) => [h.id, h.timeZone]),
  );
  const techs = technicians.map((t) => {
    const department = ultrasound.has(t.departmentId ?? '') ? ('US' as const) : ('RAD' as const);
    return {
      session: new Session(t.username),
      timeZone: timeZones.get(t.hospitalId ?? '') ?? DEFAULT_TIME_ZONE,
      department,
      // the exam mix's share of what this department sends
      share:
        EXAM_MIX.filter((e) => e.department === department).reduce((sum, e) => sum + e.weight, 0) /
        EXAM_MIX.reduce((sum, e) => sum + e.weight, 0),
    };
  });
  const readers = (await people('specialist')).map((s) => new Reader(new Session(s.username)));
  await Promise.all(
    [...techs.map((t) => t.session), ...readers.map((r) => r.session)].map((s) => s.signIn()),
  );
  for (const reader of readers) reader.start();
  admin.socket().on(SOCKET_EVENTS.queueFigures, printFigures);
  say(
    'CT and MR cases go to the router once their study has been quiet for STUDY_STABLE_SECONDS (real time, not ' +
      'simulated): at high speeds they wait a long simulated while',
  );
  say(
    `${techs.length} technicians sending ~${PER_DAY} cases a day per hospital, ${readers.length} specialists reading, ` +
      `${SPEED}× speed against ${API}; Ctrl-C stops`,
  );

  const tick = setInterval(() => {
    for (const tech of techs) {
      const hour = Number(simulatedTime(tech.timeZone).slice(0, 2));
      // cases a department sends in one real second = its share × per simulated hour × simulated hours per second
      const expected = ((hourlyRate(hour, PER_DAY) * SPEED) / 3600) * tech.share;
      let n = Math.floor(expected) + (random() < expected % 1 ? 1 : 0);
      while (n-- > 0) {
        void sendCase(tech.session, tech.department).catch((error: unknown) => {
          counts.errors++;
          say(`send failed: ${(error as Error).message}`);
        });
      }
    }
  }, 1000);

  const stop = (): void => {
    clearInterval(tick);
    say(
      `stopping: sent ${counts.sent}, read ${counts.read}, claimed ${counts.claimed}, errors ${counts.errors}`,
    );
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (MINUTES > 0) setTimeout(stop, MINUTES * 60_000);
}

await main();
