import type {
  ReportTemplate,
  ReportTemplateCreate,
  ReportTemplateQuery,
  ReportTemplateUpdate,
} from '@telemed/contracts';
import type { Actor } from '@telemed/db';
import type { Caller, Domain, Work } from '../context.js';
import { requirePlatformPermission } from '../policy.js';
import { inWork } from '../unit-of-work.js';

/** The templates for an examination; retired ones only for those who manage them. */
export async function listReportTemplates(
  domain: Domain,
  actor: Actor,
  q: ReportTemplateQuery,
): Promise<ReportTemplate[]> {
  if (q.includeInactive) requirePlatformPermission(actor, 'report_templates.manage');
  return domain.db.reportTemplates.list(q);
}

async function recorded(
  work: Work,
  action: string,
  template: ReportTemplate,
  details: object,
): Promise<void> {
  await work.tx.audit.record({
    actor: work.caller.actor,
    action,
    resourceType: 'report_template',
    resourceId: template.id,
    hospitalId: null,
    outcome: 'success',
    origin: work.caller.origin,
    details: { modality: template.modality, bodyPart: template.bodyPart, name: template.name, ...details },
  });
}

/** An administrator adds a template. */
export async function createReportTemplate(
  domain: Domain,
  caller: Caller,
  input: ReportTemplateCreate,
): Promise<ReportTemplate> {
  requirePlatformPermission(caller.actor, 'report_templates.manage');
  return inWork(domain, caller, async (work) => {
    const created = await work.tx.reportTemplates.create(input, caller.actor.userId);
    await recorded(work, 'report_template.create', created, {});
    return created;
  });
}

/** An administrator changes a template's name or text, or retires it. */
export async function updateReportTemplate(
  domain: Domain,
  caller: Caller,
  id: string,
  input: ReportTemplateUpdate,
): Promise<ReportTemplate> {
  requirePlatformPermission(caller.actor, 'report_templates.manage');
  return inWork(domain, caller, async (work) => {
    const updated = await work.tx.reportTemplates.update(id, input);
    await recorded(work, 'report_template.update', updated, { changed: Object.keys(input) });
    return updated;
  });
}
