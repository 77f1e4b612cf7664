import type { Actor } from './actor.js';

/**
 * The one rule of who sees which case, as a SQL condition on the cases table aliased `alias`.
 * Pushes its parameters onto `params`. Every query that reads or changes a case goes through it, so a case of
 * another hospital is simply not found.
 *
 * - admin: every case;
 * - technician: cases requested by their own hospital;
 * - specialist: cases assigned to them, submitted cases sent to their department, and cases they were asked for a
 *   second opinion on (open, answered or withdrawn: what they were shown stays theirs to look back at).
 */
export function caseVisibility(actor: Actor, params: unknown[], alias = 'c'): string {
  switch (actor.role) {
    case 'admin':
      return 'TRUE';
    case 'technician':
      params.push(actor.hospitalId);
      return `${alias}.requesting_hospital_id = $${params.length}`;
    case 'specialist': {
      params.push(actor.userId, actor.departmentId);
      const n = params.length;
      return `(${alias}.assigned_specialist_id = $${n - 1} OR (${alias}.target_department_id = $${n} AND ${alias}.state <> 'draft')
        OR EXISTS (SELECT 1 FROM second_opinions so WHERE so.specialist_id = $${n - 1} AND so.case_id = ${alias}.id))`;
    }
  }
}

/**
 * Who sees which DICOM study, as a SQL condition on dicom_studies aliased `alias`: the same people who see its case.
 * Technicians see their hospital's studies; specialists the studies of cases they see; admins all.
 */
export function studyVisibility(actor: Actor, params: unknown[], alias = 's'): string {
  switch (actor.role) {
    case 'admin':
      return 'TRUE';
    case 'technician':
      params.push(actor.hospitalId);
      return `${alias}.hospital_id = $${params.length}`;
    case 'specialist': {
      const cases = caseVisibility(actor, params, 'vc');
      return `EXISTS (SELECT 1 FROM cases vc WHERE vc.requesting_hospital_id = ${alias}.hospital_id
        AND vc.study_instance_uid = ${alias}.study_instance_uid AND ${cases})`;
    }
  }
}
