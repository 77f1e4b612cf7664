export { ROUTER_ACTOR, recordedUserId, type Actor, type RequestOrigin } from './actor.js';
export { verifyAuditChain, type ChainBreak, type ChainReport, type VerifyOptions } from './audit-chain.js';
export { caseVisibility, studyVisibility } from './case-scope.js';
export {
  DicomIndexRepository,
  type DicomJsonObject,
  type IndexOutcome,
  type InstanceRow,
  type InstanceToIndex,
  type SeriesRow,
  type StudyRow,
} from './repositories/dicom-index-repository.js';
export { QIDO_KEYS, type MatchCondition } from './repositories/qido-match.js';
export { StudyStabilityRepository, type StableStudy } from './repositories/study-stability-repository.js';
export { createDatabase, type Database, type Repositories } from './database.js';
export { MIGRATIONS_DIR, migrate, type MigrationResult } from './migrate.js';
export { createPool, inTransaction, type PoolOptions, type Queryable } from './pool.js';
export { AuditRepository, type AuditRecord } from './repositories/audit-repository.js';
export {
  CasesRepository,
  type CaseChange,
  type CaseFacts,
  type CaseTimers,
  type HistoryRow,
  type NewCase,
} from './repositories/cases-repository.js';
export { AnnotationsRepository } from './repositories/annotations-repository.js';
export { CommentsRepository } from './repositories/comments-repository.js';
export {
  CriticalFindingsRepository,
  type DueEscalation,
  type LockedFinding,
} from './repositories/critical-findings-repository.js';
export { ImageQualityRepository, type NewRating } from './repositories/image-quality-repository.js';
export { ReportTemplatesRepository } from './repositories/report-templates-repository.js';
export { SecondOpinionsRepository } from './repositories/second-opinions-repository.js';
export {
  DispatchRepository,
  type LockedCase,
  type OverdueAssignment,
  type RoutableCase,
} from './repositories/dispatch-repository.js';
export { HospitalsRepository } from './repositories/hospitals-repository.js';
export { MonitoringRepository, type CaseFigures } from './repositories/monitoring-repository.js';
export { NotificationsRepository, type NewNotification } from './repositories/notifications-repository.js';
export {
  OutboxRepository,
  jobIdentityOf,
  type OutboxMessage,
  type PendingMessage,
} from './repositories/outbox-repository.js';
export {
  PatientsRepository,
  type PatientDemographics,
  type PatientRecord,
} from './repositories/patients-repository.js';
export { ReportsRepository } from './repositories/reports-repository.js';
export { RosterRepository } from './repositories/roster-repository.js';
export {
  RoutingCandidatesRepository,
  type CaseForRouting,
} from './repositories/routing-candidates-repository.js';
export {
  RoutingRulesRepository,
  type MatchedRule,
  type RoutingCaseFacts,
} from './repositories/routing-rules-repository.js';
export { SeedRepository, type Ensured } from './repositories/seed-repository.js';
export {
  SessionsRepository,
  type RotateResult,
  type SessionLimits,
} from './repositories/sessions-repository.js';
export {
  UsersRepository,
  type DepartmentMember,
  type LoginCandidate,
  type NewUser,
} from './repositories/users-repository.js';
export {
  ageSession,
  createTestDatabase,
  hideTable,
  TEST_ADMIN_URL,
  tableDigests,
  type TestDatabase,
} from './test-database.js';
export { seedRadiologyHospitals, seedTestPerson, type TestHospital } from './test-hospitals.js';
