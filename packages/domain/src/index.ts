export type { Caller, Domain, JobSink, Work } from './context.js';
export { inWork } from './unit-of-work.js';
export { relayOutbox } from './outbox-relay.js';
export {
  caseNotFound,
  platformRefusal,
  requireLegal,
  requirePermitted,
  requirePlatformPermission,
} from './policy.js';
export { openCase } from './cases/open-case.js';
export {
  RELEASE_GRACE_MS,
  assignCase,
  cancelCase,
  claimCase,
  reassignCase,
  releaseCase,
  startReview,
  submitCase,
  writeReport,
} from './cases/case-actions.js';
export { caseAnnotations, saveCaseAnnotations } from './cases/case-annotations.js';
export { commentOnCase } from './cases/comment-on-case.js';
export {
  caseComments,
  caseHistory,
  casePriors,
  casePriorStudies,
  caseReports,
  getCase,
  getCaseDetail,
  listCases,
  patientChanges,
  reportSheet,
  worklist,
  type ReportSheet,
} from './cases/case-reads.js';
export {
  CriticalNotYetDue,
  acknowledgeCriticalFinding,
  caseCriticalFindings,
  criticalMessage,
  escalateCriticalFinding,
} from './reporting/critical-findings.js';
export {
  caseSecondOpinions,
  giveSecondOpinion,
  requestSecondOpinion,
  secondOpinionCandidates,
  withdrawSecondOpinion,
} from './reporting/second-opinion.js';
export { rateImageQuality, technicianQuality } from './reporting/image-quality.js';
export {
  createReportTemplate,
  listReportTemplates,
  updateReportTemplate,
} from './reporting/report-templates.js';
export { specialistChoices } from './cases/specialist-choices.js';
export { linkStudy, requireStudyLinkable } from './cases/link-study.js';
export { recordConsultEvent, requireConsultAccess, type ConsultEvent } from './consult/consult-access.js';
export { routeCase, routerCaller } from './routing/route-case.js';
export { SlaNotYetDue, escalateSla } from './routing/escalate-sla.js';
export type { RoutingOutcome } from './routing/routing-outcome.js';
export { caseLine } from './routing/notification-text.js';
export { chooseSpecialist, decideRouting } from './routing/decide-routing.js';
export {
  requirePartnershipPairing,
  requirePlacement,
  requireValidRule,
  requireValidShift,
  type RuleShape,
} from './organisation/organisation-rules.js';
