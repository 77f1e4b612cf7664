import {
  AppError,
  type Case,
  type CaseComment,
  type CaseHistoryEntry,
  type CaseListQuery,
  type CasePage,
  type Department,
  type Hospital,
  type PatientChange,
  type Report,
} from '@telemed/contracts';
import type { Actor, CaseFacts } from '@telemed/db';
import type { Domain } from '../context.js';
import { caseNotFound } from '../policy.js';

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

/** The cases the actor sees, filtered and paged. */
export async function listCases(domain: Domain, actor: Actor, q: CaseListQuery): Promise<CasePage> {
  return domain.db.cases.list(actor, q);
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

/** What a printed report shows: the case, its latest report version, and both hospitals with their departments. */
export interface ReportSheet {
  case: Case;
  report: Report;
  requestingHospital: Hospital;
  readingHospital: Hospital | null;
  readingDepartment: Department | null;
}

/** The latest report of a case the actor sees, with what its print needs; `not_found` while there is none yet. */
export async function reportSheet(domain: Domain, actor: Actor, id: string): Promise<ReportSheet> {
  const c = await getCase(domain, actor, id);
  const report = (await domain.db.reports.list(id)).at(-1);
  if (!report) throw new AppError('not_found', `case ${id} has no report yet`);
  const readingDepartment = c.targetDepartmentId
    ? await domain.db.hospitals.findDepartment(c.targetDepartmentId)
    : null;
  const [requestingHospital, readingHospital] = await Promise.all([
    domain.db.hospitals.getHospital(c.requestingHospitalId),
    readingDepartment ? domain.db.hospitals.getHospital(readingDepartment.hospitalId) : Promise.resolve(null),
  ]);
  return { case: c, report, requestingHospital, readingHospital, readingDepartment };
}
