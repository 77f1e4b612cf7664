/**
 * `pnpm bench:case-list`: what the platform costs on its busiest read, the case list.
 *
 * Starts the api as its own process on a throwaway database (it seeds the demo), has the demo's technicians and
 * specialists make a realistic case load through the api (create, submit, claim, review, report, cancel), then
 * measures GET /api/cases?limit=50 as a county technician through the whole api (token, session check, validation,
 * serialisation, audit) against a bare Fastify route that runs the very same repository query for the same actor
 * (case-list-bare.ts, its own process like the api). The ratio is the price of the layers.
 *
 * Environment: BENCH_DATABASE_URL (a server where databases may be created; default the local Postgres),
 * BENCH_REDIS_URL, BENCH_SECONDS (per run, default 10), BENCH_CASES (default 5000). Everything it creates — the
 * database, the Redis keys under its own prefix, both servers — is removed at the end, also after an error or
 * Ctrl-C.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Case,
  CaseAction,
  CaseCreate,
  CaseState,
  Department,
  ReportCreate,
  Urgency,
  User,
} from '@telemed/contracts';
import { createTestDatabase } from '@telemed/db';
import { seededRandom } from '@telemed/dicom';
import {
  ADMIN_URL,
  REDIS_URL,
  cleanRedisOnExit,
  handleSignals,
  onCleanup,
  positiveInt,
  runBench,
  say,
  thousands,
} from './harness.js';
import { ApiUser, answering, freePort, startApi, startNode } from './platform.js';

const here = dirname(fileURLToPath(import.meta.url));

const SECONDS = positiveInt('BENCH_SECONDS', 10);
const CASES = positiveInt('BENCH_CASES', 5000);
const WARMUP_SECONDS = Math.min(3, SECONDS);
const CONNECTIONS = 10;
const PAGE = 50;
const ROUNDS = 2;
const TECHNICIAN = 'wangjianguo';

let running: autocannon.Instance | undefined;
handleSignals(() => {
  running?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// A case load: deterministic, so two runs measure the same data.

function pick<T>(random: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let x = random() * total;
  for (const [value, w] of weighted) {
    x -= w;
    if (x < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

// Where cases end up: most are reported, a working day's worth is still on its way.
const STATES: readonly (readonly [CaseState, number])[] = [
  ['draft', 4],
  ['submitted', 10],
  ['assigned', 6],
  ['in_review', 6],
  ['preliminary', 6],
  ['final', 62],
  ['cancelled', 6],
];
const URGENCIES: readonly (readonly [Urgency, number])[] = [
  ['stat', 8],
  ['urgent', 27],
  ['routine', 65],
];

interface Exam {
  modality: string;
  bodyPart: string;
  question: string;
}

const RADIOLOGY: readonly Exam[] = [
  { modality: 'CT', bodyPart: 'HEAD', question: '头痛伴呕吐2天，排除颅内出血' },
  { modality: 'CT', bodyPart: 'CHEST', question: '咳嗽咳痰1周伴发热，肺部感染？' },
  { modality: 'CT', bodyPart: 'ABDOMEN', question: '右下腹痛12小时，阑尾炎？' },
  { modality: 'DX', bodyPart: 'CHEST', question: '胸片右下肺斑片影，请协助诊断' },
  { modality: 'DX', bodyPart: 'WRIST', question: '摔伤后腕部肿痛，骨折？' },
  { modality: 'MR', bodyPart: 'LSPINE', question: '腰痛伴左下肢放射痛，椎间盘突出？' },
  { modality: 'MR', bodyPart: 'HEAD', question: '突发右侧肢体无力3小时，急性脑梗死？' },
];
const ULTRASOUND: readonly Exam[] = [
  { modality: 'US', bodyPart: 'ABDOMEN', question: '右上腹痛，胆囊结石？' },
  { modality: 'US', bodyPart: 'THYROID', question: '体检发现甲状腺结节，请评估 TI-RADS 分级' },
  { modality: 'US', bodyPart: 'HEART', question: '胸闷气短，心功能评估' },
  { modality: 'US', bodyPart: 'PELVIS', question: '孕22周，胎儿结构筛查' },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '秀英 建华 桂兰 志强 丽 军 海燕 国庆 小明 玉兰 春梅 德明 红 伟'.split(' ');

interface Technician {
  user: ApiUser;
  hospitalId: string;
  index: number;
  exams: readonly Exam[];
}

interface PlannedCase {
  technician: Technician;
  number: number;
  state: CaseState;
  input: CaseCreate;
}

function planCases(technicians: Technician[], count: number): PlannedCase[] {
  const random = seededRandom(20240601);
  const byHospital = new Map<string, Technician[]>();
  for (const t of technicians) {
    const key = t.hospitalId;
    byHospital.set(key, [...(byHospital.get(key) ?? []), t]);
  }
  const hospitals = [...byHospital.values()];
  const perTechnician = new Map<Technician, number>();
  const plans: PlannedCase[] = [];
  for (let i = 0; i < count; i++) {
    // Hospitals evenly; within one, radiology sends about seven cases in ten.
    const staff = hospitals[i % hospitals.length]!;
    const technician = pick(
      random,
      staff.map((t) => [t, t.exams === RADIOLOGY ? 7 : 3] as const),
    );
    const number = (perTechnician.get(technician) ?? 0) + 1;
    perTechnician.set(technician, number);
    // Patients come back: roughly one case in four is a returning patient.
    const patient = 1 + Math.floor(random() * Math.max(1, (count / technicians.length) * 0.75));
    const exam = technician.exams[Math.floor(random() * technician.exams.length)]!;
    const year = 1940 + (patient % 75);
    plans.push({
      technician,
      number,
      state: pick(random, STATES),
      input: {
        patient: {
          mrn: `ZY${technician.index}${String(patient).padStart(7, '0')}`,
          name: `${SURNAMES[patient % SURNAMES.length]!}${GIVEN[(patient * 7) % GIVEN.length]!}`,
          sex: patient % 2 ? 'M' : 'F',
          birthDate: `${year}-${String(1 + (patient % 12)).padStart(2, '0')}-${String(1 + (patient % 28)).padStart(2, '0')}`,
        },
        urgency: pick(random, URGENCIES),
        clinicalQuestion: exam.question,
        clinicalHistory: random() < 0.5 ? '既往高血压病史10年，规律服药。' : '',
        modality: exam.modality,
        bodyPart: exam.bodyPart,
        studyInstanceUid: `1.2.156.14702.${technician.index}.${number}`,
        accessionNumber: `A${technician.index}${String(number).padStart(8, '0')}`,
      },
    });
  }
  return plans;
}

const REPORT: Record<'preliminary' | 'final', ReportCreate> = {
  preliminary: {
    kind: 'preliminary',
    findings: '所见结构显示清晰，未见明确急性病变征象，待进一步阅片。',
    impression: '初步意见：未见明显异常。',
  },
  final: {
    kind: 'final',
    findings: '所见结构显示清晰，形态、大小及信号未见明显异常，周围未见积液。',
    impression: '未见明显异常，建议临床随访。',
  },
};

/**
 * The actions that bring a new draft to `state`. `alternate` picks between the two usual routes: a final report with
 * or without a preliminary one first, a cancellation before or after the case was sent.
 */
function path(state: CaseState, alternate: boolean): CaseAction[] {
  const reviewed: CaseAction[] = ['submit', 'claim', 'start_review'];
  switch (state) {
    case 'draft':
      return [];
    case 'submitted':
      return ['submit'];
    case 'assigned':
      return ['submit', 'claim'];
    case 'in_review':
      return reviewed;
    case 'preliminary':
      return [...reviewed, 'preliminary'];
    case 'final':
      return alternate ? [...reviewed, 'preliminary', 'finalize'] : [...reviewed, 'finalize'];
    case 'cancelled':
      return alternate ? ['submit', 'cancel'] : ['cancel'];
  }
}

/** The request that performs `action` on a case, as the api offers it. */
function request(action: CaseAction): { path: string; body?: unknown } {
  switch (action) {
    case 'cancel':
      return { path: 'cancel', body: { reason: '患者已转上级医院就诊' } };
    case 'preliminary':
      return { path: 'reports', body: REPORT.preliminary };
    case 'finalize':
      return { path: 'reports', body: REPORT.final };
    case 'start_review':
      return { path: 'start-review' };
    default:
      return { path: action };
  }
}

/** Opens the case as its technician and walks it to its planned state through the api, as the people who would. */
async function makeCase(plan: PlannedCase, specialistsOf: (departmentId: string) => ApiUser): Promise<void> {
  const technician = plan.technician.user;
  let current = await technician.call<Case>('POST', '/api/cases', plan.input);
  let specialist: ApiUser | undefined;
  for (const action of path(plan.state, plan.number % 2 === 0)) {
    if (action === 'claim') {
      if (!current.targetDepartmentId) throw new Error(`case ${current.id} was submitted without a target`);
      specialist = specialistsOf(current.targetDepartmentId);
    }
    // The county side sends and cancels; everything else is the specialist who claimed the case.
    const actor = action === 'submit' || action === 'cancel' ? technician : specialist;
    if (!actor) throw new Error(`${action} needs a specialist, but nobody has claimed case ${current.id}`);
    const { path: route, body } = request(action);
    current = await actor.call<Case>('POST', `/api/cases/${current.id}/${route}`, body ?? {});
  }
}

async function createCases(base: string, count: number): Promise<void> {
  const admin = await ApiUser.signIn(base, 'admin');
  const users = await admin.call<User[]>('GET', '/api/users');
  const departments = new Map(
    (await admin.call<Department[]>('GET', '/api/departments')).map((d) => [d.id, d]),
  );
  const technicians: Technician[] = [];
  for (const user of users.filter((u) => u.role === 'technician')) {
    const specialty = departments.get(user.departmentId ?? '')?.specialty;
    technicians.push({
      user: await ApiUser.signIn(base, user.username),
      hospitalId: user.hospitalId ?? '',
      index: technicians.length + 1,
      exams: specialty === 'ultrasound' ? ULTRASOUND : RADIOLOGY,
    });
  }
  const specialists = new Map<string, ApiUser[]>();
  for (const user of users.filter((u) => u.role === 'specialist')) {
    const key = user.departmentId ?? '';
    specialists.set(key, [...(specialists.get(key) ?? []), await ApiUser.signIn(base, user.username)]);
  }
  let turn = 0;
  const specialistsOf = (departmentId: string): ApiUser => {
    const staff = specialists.get(departmentId);
    if (!staff?.length) throw new Error(`no specialist reads for department ${departmentId}`);
    return staff[turn++ % staff.length]!;
  };

  const plans = planCases(technicians, count);
  const started = performance.now();
  let done = 0;
  // One worker per technician, as at the hospitals, each case one after the other.
  await Promise.all(
    technicians.map(async (technician) => {
      for (const plan of plans.filter((p) => p.technician === technician)) {
        await makeCase(plan, specialistsOf);
        done++;
        if (done % 1000 === 0 && done < count) say(`  ${thousands(done)} / ${thousands(count)} cases…`);
      }
    }),
  );
  const tally = STATES.map(([state]) => `${state} ${plans.filter((p) => p.state === state).length}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`  ${thousands(count)} cases in ${seconds} s (${tally.join(', ')})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring.

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

function cannon(
  label: string,
  url: string,
  seconds: number,
  headers: Record<string, string>,
): Promise<Figures> {
  return new Promise((resolve, reject) => {
    running = autocannon(
      { url, connections: CONNECTIONS, duration: seconds, headers },
      (error: unknown, result: autocannon.Result) => {
        running = undefined;
        if (error instanceof Error) {
          reject(error);
        } else if (error !== null && error !== undefined) {
          reject(new Error(`${label}: autocannon failed: ${JSON.stringify(error)}`));
        } else if (result.non2xx || result.errors || result.timeouts) {
          reject(
            new Error(
              `${label}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`,
            ),
          );
        } else {
          resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
        }
      },
    );
  });
}

async function getJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, init);
  const body: unknown = await response.json();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** The session and user an access token names (its payload; the api has already verified it). */
function claimsOf(token: string): { sid: string; sub: string } {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sid?: unknown;
    sub?: unknown;
  };
  if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') {
    throw new Error('the access token names no session');
  }
  return { sid: payload.sid, sub: payload.sub };
}

function caseIds(page: unknown): string[] {
  return (page as { items: { id: string }[] }).items.map((c) => c.id);
}

// The api's session limits and pool size, given to it explicitly so the bare server can use the same.
const SESSION_IDLE_MINUTES = 30;
const SESSION_ABSOLUTE_HOURS = 12;
const PG_POOL_MAX = 10;

async function main(): Promise<void> {
  say(`creating a database on ${new URL(ADMIN_URL).host}…`);
  const database = await createTestDatabase(ADMIN_URL, 'telemed_bench');
  onCleanup('drop the database', () => database.drop());
  say(`  ${database.name}`);

  const prefix = `telemed-bench:${randomBytes(4).toString('hex')}:`;
  cleanRedisOnExit(REDIS_URL, prefix);
  say('starting the platform api (it migrates the database and seeds the demo)…');
  const platform = await startApi({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisKeyPrefix: prefix,
    env: {
      LOG_LEVEL: 'silent',
      SESSION_IDLE_MINUTES: String(SESSION_IDLE_MINUTES),
      SESSION_ABSOLUTE_HOURS: String(SESSION_ABSOLUTE_HOURS),
      PG_POOL_MAX: String(PG_POOL_MAX),
    },
  });
  say(`creating ${thousands(CASES)} cases through the api…`);
  await createCases(platform, CASES);

  const technician = await ApiUser.signIn(platform, TECHNICIAN);
  const { sid, sub } = claimsOf(await technician.refresh());

  say('starting the bare server…');
  const barePort = await freePort();
  const bareBase = `http://127.0.0.1:${barePort}`;
  const bare = startNode('bare server', ['--import', 'tsx', join(here, 'case-list-bare.ts')], {
    BARE_PORT: String(barePort),
    BARE_DATABASE_URL: database.url,
    BARE_PG_POOL_MAX: String(PG_POOL_MAX),
    BARE_SESSION_ID: sid,
    BARE_USER_ID: sub,
    BARE_IDLE_MS: String(SESSION_IDLE_MINUTES * 60_000),
    BARE_ABSOLUTE_MS: String(SESSION_ABSOLUTE_HOURS * 3_600_000),
    BARE_PAGE: String(PAGE),
  });
  await answering(`${bareBase}/cases`, bare);

  const platformUrl = `${platform}/api/cases?limit=${PAGE}`;
  const bareUrl = `${bareBase}/cases`;
  const auth = (): Record<string, string> => technician.headers();

  // Both must answer with the same page, or the comparison means nothing.
  const fromPlatform = caseIds(await getJson(platformUrl, { headers: auth() }));
  const fromBare = caseIds(await getJson(bareUrl));
  if (fromPlatform.length !== PAGE || fromPlatform.join() !== fromBare.join()) {
    throw new Error(
      `the two servers disagree: platform ${fromPlatform.length} cases, bare ${fromBare.length}, or in another order`,
    );
  }
  say(`both return the same ${PAGE} cases of ${TECHNICIAN}`);

  say(`warming up (${WARMUP_SECONDS} s each)…`);
  await cannon('platform warm-up', platformUrl, WARMUP_SECONDS, auth());
  await cannon('bare warm-up', bareUrl, WARMUP_SECONDS, {});

  const runs: { platform: Figures[]; bare: Figures[] } = { platform: [], bare: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    // A fresh token each round, so a long BENCH_SECONDS cannot outlive the access token.
    await technician.refresh();
    say(`running platform ${round}/${ROUNDS} (${SECONDS} s)…`);
    runs.platform.push(await cannon(`platform ${round}`, platformUrl, SECONDS, auth()));
    say(`running bare ${round}/${ROUNDS} (${SECONDS} s)…`);
    runs.bare.push(await cannon(`bare ${round}`, bareUrl, SECONDS, {}));
  }

  const best = (figures: Figures[]): Figures => figures.reduce((a, b) => (b.rps > a.rps ? b : a));
  const p = best(runs.platform);
  const b = best(runs.bare);
  const ms = (n: number): string => n.toFixed(2).padStart(9);
  const row = (name: string, f: Figures): string =>
    `${name.padEnd(10)}${thousands(f.rps).padStart(9)}${ms(f.p50)}${ms(f.p99)}`;
  say('');
  say(
    `GET case list, ${PAGE} per page, as ${TECHNICIAN}; ${thousands(CASES)} cases; ${CONNECTIONS} connections; ` +
      `best of ${ROUNDS} × ${SECONDS} s`,
  );
  say(`${''.padEnd(10)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
  say(row('platform', p));
  say(row('bare', b));
  say(`ratio (platform / bare) req/s: ${(p.rps / b.rps).toFixed(2)}`);
  say(`ratio (bare / platform) p99:   ${(b.p99 / p.p99).toFixed(2)}`);
}

await runBench(main);
