import type pg from 'pg';
import { inTransaction, type Queryable } from './pool.js';
import { ArchiveRepository, StudyStabilityRepository } from './repositories/archive-repository.js';
import { AuditRepository } from './repositories/audit-repository.js';
import { CasesRepository } from './repositories/cases-repository.js';
import { CommentsRepository } from './repositories/comments-repository.js';
import { DispatchRepository } from './repositories/dispatch-repository.js';
import { HospitalsRepository } from './repositories/hospitals-repository.js';
import { MonitoringRepository } from './repositories/monitoring-repository.js';
import { NotificationsRepository } from './repositories/notifications-repository.js';
import { OutboxRepository } from './repositories/outbox-repository.js';
import { PatientsRepository } from './repositories/patients-repository.js';
import { ReportsRepository } from './repositories/reports-repository.js';
import { RosterRepository } from './repositories/roster-repository.js';
import { RoutingCandidatesRepository } from './repositories/routing-candidates-repository.js';
import { RoutingRulesRepository } from './repositories/routing-rules-repository.js';
import { SeedRepository } from './repositories/seed-repository.js';
import { SessionsRepository } from './repositories/sessions-repository.js';
import { UsersRepository } from './repositories/users-repository.js';

/** Every repository, bound to one connection (the pool, or a transaction's client). */
export interface Repositories {
  archive: ArchiveRepository;
  audit: AuditRepository;
  cases: CasesRepository;
  comments: CommentsRepository;
  dispatch: DispatchRepository;
  hospitals: HospitalsRepository;
  monitoring: MonitoringRepository;
  notifications: NotificationsRepository;
  outbox: OutboxRepository;
  patients: PatientsRepository;
  reports: ReportsRepository;
  roster: RosterRepository;
  routingCandidates: RoutingCandidatesRepository;
  routingRules: RoutingRulesRepository;
  seed: SeedRepository;
  stability: StudyStabilityRepository;
  sessions: SessionsRepository;
  users: UsersRepository;
}

function bind(db: Queryable): Repositories {
  return {
    archive: new ArchiveRepository(db),
    audit: new AuditRepository(db),
    cases: new CasesRepository(db),
    comments: new CommentsRepository(db),
    dispatch: new DispatchRepository(db),
    hospitals: new HospitalsRepository(db),
    monitoring: new MonitoringRepository(db),
    notifications: new NotificationsRepository(db),
    outbox: new OutboxRepository(db),
    patients: new PatientsRepository(db),
    reports: new ReportsRepository(db),
    roster: new RosterRepository(db),
    routingCandidates: new RoutingCandidatesRepository(db),
    routingRules: new RoutingRulesRepository(db),
    seed: new SeedRepository(db),
    stability: new StudyStabilityRepository(db),
    sessions: new SessionsRepository(db),
    users: new UsersRepository(db),
  };
}

/** The repositories on the pool, plus `transaction` for work that must commit or fail as one. */
export interface Database extends Repositories {
  pool: pg.Pool;
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
}

/** Wraps a pool in the repositories. */
export function createDatabase(pool: pg.Pool): Database {
  return {
    ...bind(pool),
    pool,
    transaction: (work) => inTransaction(pool, (client) => work(bind(client))),
  };
}
