import {
  AppError,
  type Case,
  type CaseComment,
  type CaseDetail,
  type CriticalFinding,
  type CaseHistoryEntry,
  type CaseListQuery,
  type CasePage,
  type Department,
  type Hospital,
  type PatientChange,
  type PriorStudy,
  type Report,
  type Worklist,
  type WorklistQuery,
} from '@telemed/contracts';
import type { Actor, CaseFacts } from '@telemed/db';
import type { Domain } from '../context.js';
import { caseNotFound, requirePlatformPermission } from '../policy.js';

// each half of the worklist shows at most this many cases
const WORKLIST_LIMIT = 200;

async function visible(domain: Domain, actor: Actor, id: string): Promise<CaseFacts> {
  const c = await domain.db.cases.facts(actor, id);
  if (!c) throw caseNotFound(id);
  return c;
}

/** One case the actor sees. */
export async function getCase(domain: Domain, actor: Actor, id: string): Promise<Case> {
  const c = await domain.db.cases.find(actor, id);
  if (!c) throw caseNotFound(id);
  return c;
}

/**
 * One case the actor sees with what its reading produced: the image-quality ratings (the county side sees the
 * feedback on its case), the latest critical finding and its acknowledgement, the second opinions.
 */
export async function getCaseDetail(domain: Domain, actor: Actor, id: string): Promise<CaseDetail> {
  const c = await getCase(domain, actor, id);
  const [imageQuality, criticalFinding, secondOpinions] = await Promise.all([
    domain.db.imageQuality.forCase(id),
    domain.db.critical.latest(id),
    domain.db.secondOpinions.list(id),
  ]);
  return { ...c, imageQuality, criticalFinding, secondOpinions };
}

/** The cases the actor sees, filtered and paged. */
export async function listCases(domain: Domain, actor: Actor, q: CaseListQuery): Promise<CasePage> {
  return domain.db.cases.list(actor, q);
}

/**
 * A specialist's worklist: the open cases they hold, their department's pool and the cases a colleague asks their
 * second opinion on, filtered, most urgent first.
 */
export async function worklist(domain: Domain, actor: Actor, q: WorklistQuery): Promise<Worklist> {
  requirePlatformPermission(actor, 'worklist.read');
  const [mine, pool, secondOpinions] = await Promise.all([
    domain.db.cases.worklist(actor, 'mine', q, WORKLIST_LIMIT),
    domain.db.cases.worklist(actor, 'pool', q, WORKLIST_LIMIT),
    domain.db.cases.worklist(actor, 'second_opinions', q, WORKLIST_LIMIT),
  ]);
  return { mine, pool, secondOpinions };
}

/** The same patient's other cases that the actor sees, beside a case they see; newest first. */
export async function casePriors(domain: Domain, actor: Actor, id: string): Promise<Case[]> {
  await visible(domain, actor, id);
  return domain.db.cases.priors(actor, id);
}

/** The studies of the same patient's other cases that the actor sees, beside a case they see; newest first. */
export async function casePriorStudies(domain: Domain, actor: Actor, id: string): Promise<PriorStudy[]> {
  await visible(domain, actor, id);
  return domain.db.cases.priorStudies(actor, id);
}

/** Every state change of a case the actor sees, oldest first. */
export async function caseHistory(domain: Domain, actor: Actor, id: string): Promise<CaseHistoryEntry[]> {
  await visible(domain, actor, id);
  return domain.db.cases.history(id);
}

/** Every report version of a case the actor sees. */
export async function caseReports(domain: Domain, actor: Actor, id: string): Promise<Report[]> {
  await visible(domain, actor, id);
  return domain.db.reports.list(id);
}

/** The comment thread of a case the actor sees. */
export async function caseComments(domain: Domain, actor: Actor, id: string): Promise<CaseComment[]> {
  await visible(domain, actor, id);
  return domain.db.comments.list(id);
}

/** The corrections of the demographics of the patient of a case the actor sees. */
export async function patientChanges(domain: Domain, actor: Actor, caseId: string): Promise<PatientChange[]> {
  const c = await visible(domain, actor, caseId);
  return domain.db.patients.changes(c.patientId);
}

/**
 * What a printed report shows: the case; its final report (or, before there is one, the latest preliminary) and the
 * addenda written after it; the critical findings and their acknowledgement; both hospitals with their departments.
 */
export interface ReportSheet {
  case: Case;
  report: Report;
  addenda: Report[];
  criticalFindings: CriticalFinding[];
  requestingHospital: Hospital;
  readingHospital: Hospital | null;
  readingDepartment: Department | null;
}

/** The latest report of a case the actor sees, with what its print needs; `not_found` while there is none yet. */
export async function reportSheet(domain: Domain, actor: Actor, id: string): Promise<ReportSheet> {
  const c = await getCase(domain, actor, id);
  const versions = await domain.db.reports.list(id);
  const report =
    versions.findLast((r) => r.kind === 'final') ?? versions.findLast((r) => r.kind !== 'addendum');
  if (!report) throw new AppError('no_report_yet', `case ${id} has no report yet`);
  const addenda = versions.filter((r) => r.kind === 'addendum' && r.version > report.version);
  const criticalFindings = await domain.db.critical.list(id);
  const readingDepartment = c.targetDepartmentId
    ? await domain.db.hospitals.findDepartment(c.targetDepartmentId)
    : null;
  const [requestingHospital, readingHospital] = await Promise.all([
    domain.db.hospitals.getHospital(c.requestingHospitalId),
    readingDepartment ? domain.db.hospitals.getHospital(readingDepartment.hospitalId) : Promise.resolve(null),
  ]);
  return {
    case: c,
    report,
    addenda,
    criticalFindings,
    requestingHospital,
    readingHospital,
    readingDepartment,
  };
}
