import { AppError, type Case, type CaseCreate, type PatientInput } from '@telemed/contracts';
import type { PatientDemographics, PatientRecord } from '@telemed/db';
import { recordCaseEvent } from '../case-events.js';
import type { Caller, Domain, Work } from '../context.js';
import { requirePlatformPermission } from '../policy.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter } from './case-moves.js';

/**
 * A technician opens a draft case for a patient of their hospital. The patient is found by MRN or registered; when
 * the county side gives a known MRN with another name, sex or birth date, the patient's record is corrected and the
 * correction kept (what it was, who changed it, when, through which case) in the patient's history and the audit
 * trail. A study that arrived before its case is linked now.
 */
export async function openCase(domain: Domain, caller: Caller, input: CaseCreate): Promise<Case> {
  const { actor } = caller;
  requirePlatformPermission(actor, 'cases.open');
  const hospitalId = actor.hospitalId;
  const departmentId = input.requestingDepartmentId ?? actor.departmentId;
  if (!hospitalId || !departmentId) {
    throw new AppError('county_staff_only', 'only staff of a county hospital open cases');
  }
  return inWork(domain, caller, async (work) => {
    const dept = await work.tx.hospitals.findDepartment(departmentId);
    if (!dept || dept.hospitalId !== hospitalId || !dept.active) {
      throw new AppError(
        'validation_failed',
        'the requesting department is not an active department of your hospital',
        {
          errors: [
            {
              field: 'requestingDepartmentId',
              message: 'choose a department of your own hospital',
              reason: 'own_hospital_department',
            },
          ],
        },
      );
    }
    const given = normalised(input.patient);
    const { patient, created } = await work.tx.patients.register(hospitalId, given);
    const id = await work.tx.cases.insert({
      patientId: patient.id,
      hospitalId,
      departmentId,
      createdBy: actor.userId,
      urgency: input.urgency,
      clinicalQuestion: input.clinicalQuestion.trim(),
      clinicalHistory: input.clinicalHistory ?? '',
      modality: input.modality ?? null,
      bodyPart: input.bodyPart ?? null,
      studyInstanceUid: input.studyInstanceUid ?? null,
      accessionNumber: input.accessionNumber ?? null,
    });
    if (!created) await correctDemographics(work, patient, given, id);
    const linked = await work.tx.cases.linkArrivedStudy(
      id,
      hospitalId,
      input.studyInstanceUid ?? null,
      input.accessionNumber ?? null,
    );
    await recordCaseEvent(
      work,
      {
        id,
        state: 'draft',
        urgency: input.urgency,
        patientId: patient.id,
        studyInstanceUid: input.studyInstanceUid ?? linked,
        requestingHospitalId: hospitalId,
        requestingDepartmentId: departmentId,
        targetDepartmentId: null,
        assignedSpecialistId: null,
        secondOpinionSpecialistId: null,
        createdBy: actor.userId,
      },
      { action: 'create', to: 'draft' },
    );
    return caseAfter(work, id);
  });
}

function normalised(p: PatientInput): PatientInput {
  return { ...p, mrn: p.mrn.trim(), name: p.name.trim() };
}

/** Updates a known patient's demographics where the new case gives others, and keeps what they were. */
async function correctDemographics(
  work: Work,
  stored: PatientRecord,
  given: PatientInput,
  caseId: string,
): Promise<void> {
  const next: PatientDemographics = {
    name: given.name,
    sex: given.sex,
    // a case that leaves the birth date out does not erase it
    birthDate: given.birthDate ?? stored.birthDate,
  };
  const before: Partial<PatientDemographics> = {};
  const after: Partial<PatientDemographics> = {};
  for (const key of ['name', 'sex', 'birthDate'] as const) {
    if (stored[key] !== next[key]) {
      Object.assign(before, { [key]: stored[key] });
      Object.assign(after, { [key]: next[key] });
    }
  }
  if (!Object.keys(after).length) return;
  await work.tx.patients.update(stored.id, next);
  const changeId = await work.tx.patients.recordChange({
    patientId: stored.id,
    caseId,
    changedBy: work.caller.actor.userId,
    before,
    after,
  });
  await work.tx.audit.record({
    actor: work.caller.actor,
    action: 'patient.update',
    resourceType: 'patient',
    resourceId: stored.id,
    hospitalId: stored.hospitalId,
    outcome: 'success',
    origin: work.caller.origin,
    details: { changeId, caseId, mrn: stored.mrn, before, after },
  });
}
