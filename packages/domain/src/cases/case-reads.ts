import type {
  Case,
  CaseComment,
  CaseHistoryEntry,
  CaseListQuery,
  CasePage,
  PatientChange,
  Report,
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
