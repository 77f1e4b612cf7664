import type pg from 'pg';
import { inTransaction, type Queryable } from './pool.js';
import { AnnotationsRepository } from './repositories/annotations-repository.js';
import { AuditRepository } from './repositories/audit-repository.js';
import { CasesRepository } from './repositories/cases-repository.js';
import { CommentsRepository } from './repositories/comments-repository.js';
import { CriticalFindingsRepository } from './repositories/critical-findings-repository.js';
import { DicomIndexRepository } from './repositories/dicom-index-repository.js';
import { DispatchRepository } from './repositories/dispatch-repository.js';
import { HospitalsRepository } from './repositories/hospitals-repository.js';
import { ImageQualityRepository } from './repositories/image-quality-repository.js';
import { MonitoringRepository } from './repositories/monitoring-repository.js';
import { NotificationsRepository } from './repositories/notifications-repository.js';
import { OutboxRepository } from './repositories/outbox-repository.js';
import { PatientsRepository } from './repositories/patients-repository.js';
import { ReportTemplatesRepository } from './repositories/report-templates-repository.js';
import { ReportsRepository } from './repositories/reports-repository.js';
import { RosterRepository } from './repositories/roster-repository.js';
import { RoutingCandidatesRepository } from './repositories/routing-candidates-repository.js';
import { RoutingRulesRepository } from './repositories/routing-rules-repository.js';
import { SecondOpinionsRepository } from './repositories/second-opinions-repository.js';
import { SeedRepository } from './repositories/seed-repository.js';
import { SessionsRepository } from './repositories/sessions-repository.js';
import { StudyStabilityRepository } from './repositories/study-stability-repository.js';
import { UsersRepository } from './repositories/users-repository.js';

/** Every repository, bound to one connection (the pool, or a transaction's client). */
export interface Repositories {
  /** the measurements and marks kept with each case */
  annotations: AnnotationsRepository;
  /** the archive's index: studies, series, instances */
  archive: DicomIndexRepository;
  audit: AuditRepository;
  cases: CasesRepository;
  comments: CommentsRepository;
  critical: CriticalFindingsRepository;
  dispatch: DispatchRepository;
  hospitals: HospitalsRepository;
  imageQuality: ImageQualityRepository;
  monitoring: MonitoringRepository;
  notifications: NotificationsRepository;
  outbox: OutboxRepository;
  patients: PatientsRepository;
  reports: ReportsRepository;
  reportTemplates: ReportTemplatesRepository;
  roster: RosterRepository;
  routingCandidates: RoutingCandidatesRepository;
  routingRules: RoutingRulesRepository;
  secondOpinions: SecondOpinionsRepository;
  seed: SeedRepository;
  stability: StudyStabilityRepository;
  sessions: SessionsRepository;
  users: UsersRepository;
}

function bind(db: Queryable): Repositories {
  return {
    annotations: new AnnotationsRepository(db),
    archive: new DicomIndexRepository(db),
    audit: new AuditRepository(db),
    cases: new CasesRepository(db),
    comments: new CommentsRepository(db),
    critical: new CriticalFindingsRepository(db),
    dispatch: new DispatchRepository(db),
    hospitals: new HospitalsRepository(db),
    imageQuality: new ImageQualityRepository(db),
    monitoring: new MonitoringRepository(db),
    notifications: new NotificationsRepository(db),
    outbox: new OutboxRepository(db),
    patients: new PatientsRepository(db),
    reports: new ReportsRepository(db),
    reportTemplates: new ReportTemplatesRepository(db),
    roster: new RosterRepository(db),
    routingCandidates: new RoutingCandidatesRepository(db),
    routingRules: new RoutingRulesRepository(db),
    secondOpinions: new SecondOpinionsRepository(db),
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
