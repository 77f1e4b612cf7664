export type { Actor, RequestOrigin } from './actor.js';
export { caseVisibility, studyVisibility } from './case-scope.js';
export {
  ArchiveRepository,
  QIDO_KEYS,
  type DicomJsonObject,
  type IndexOutcome,
  type InstanceRow,
  type InstanceToIndex,
  type MatchCondition,
  type SeriesRow,
  type StableStudy,
  type StudyRow,
  StudyStabilityRepository,
} from './repositories/archive-repository.js';
export { createDatabase, type Database, type Repositories } from './database.js';
export { MIGRATIONS_DIR, migrate, type MigrationResult } from './migrate.js';
export { createPool, inTransaction, type PoolOptions, type Queryable } from './pool.js';
export { AuditRepository, type AuditRecord } from './repositories/audit-repository.js';
export {
  CasesRepository,
  reportAction,
  type CaseFacts,
  type TransitionOptions,
} from './repositories/cases-repository.js';
export { HospitalsRepository } from './repositories/hospitals-repository.js';
export { RosterRepository } from './repositories/roster-repository.js';
export {
  RoutingRepository,
  hospitalMinute,
  type Candidate,
  type RoutingDecision,
} from './repositories/routing-repository.js';
export { SeedRepository, type Ensured } from './repositories/seed-repository.js';
export {
  SessionsRepository,
  type RotateResult,
  type SessionLimits,
} from './repositories/sessions-repository.js';
export { UsersRepository, type LoginCandidate, type NewUser } from './repositories/users-repository.js';
export {
  ageSession,
  createTestDatabase,
  hideTable,
  tableDigests,
  type TestDatabase,
} from './test-database.js';
