import type { PatientChange, PatientInput } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, isoNotNull } from '../rows.js';

/** A patient's demographics as stored. */
export interface PatientDemographics {
  name: string;
  sex: 'M' | 'F' | 'O';
  birthDate: string | null;
}

/** A registered patient of a hospital. */
export interface PatientRecord extends PatientDemographics {
  id: string;
  hospitalId: string;
  mrn: string;
}

/** The patients a county hospital registered, one per MRN, and the history of their demographics. */
export class PatientsRepository {
  constructor(private readonly db: Queryable) {}

  /** The patient a hospital registered under `mrn`, locked until the transaction ends; null when unknown. */
  async lockByMrn(hospitalId: string, mrn: string): Promise<PatientRecord | null> {
    const { rows } = await this.db.query<PatientRow>(
      'SELECT * FROM patients WHERE hospital_id = $1 AND mrn = $2 FOR UPDATE',
      [hospitalId, mrn],
    );
    const r = rows[0];
    return r ? toPatient(r) : null;
  }

  /**
   * Registers a patient; a concurrent registration of the same MRN wins and this returns that row, so the caller
   * compares demographics against what is stored either way.
   */
  async register(hospitalId: string, p: PatientInput): Promise<{ patient: PatientRecord; created: boolean }> {
    const { rows } = await this.db.query<PatientRow>(
      `INSERT INTO patients (hospital_id, mrn, name, sex, birth_date) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (hospital_id, mrn) DO NOTHING RETURNING *`,
      [hospitalId, p.mrn, p.name, p.sex, p.birthDate ?? null],
    );
    const created = rows[0];
    if (created) return { patient: toPatient(created), created: true };
    const existing = await this.lockByMrn(hospitalId, p.mrn);
    if (!existing) throw new Error(`patient ${p.mrn} vanished while being registered`);
    return { patient: existing, created: false };
  }

  /** Writes new demographics. */
  async update(id: string, d: PatientDemographics): Promise<void> {
    await this.db.query(
      'UPDATE patients SET name = $2, sex = $3, birth_date = $4, updated_at = now() WHERE id = $1',
      [id, d.name, d.sex, d.birthDate],
    );
  }

  /** Keeps one correction of a patient's demographics. */
  async recordChange(change: Omit<PatientChange, 'id' | 'changedAt' | 'changedByName'>): Promise<string> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO patient_changes (patient_id, case_id, changed_by, before, after)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [
        change.patientId,
        change.caseId,
        change.changedBy,
        JSON.stringify(change.before),
        JSON.stringify(change.after),
      ],
    );
    return firstRow(rows).id;
  }

  /** Every correction of a patient's demographics, oldest first. */
  async changes(patientId: string): Promise<PatientChange[]> {
    const { rows } = await this.db.query<{
      id: string;
      patient_id: string;
      case_id: string | null;
      changed_by: string | null;
      changed_by_name: string | null;
      changed_at: Date;
      before: Partial<PatientDemographics>;
      after: Partial<PatientDemographics>;
    }>(
      `SELECT pc.*, u.display_name AS changed_by_name FROM patient_changes pc
       LEFT JOIN users u ON u.id = pc.changed_by WHERE pc.patient_id = $1 ORDER BY pc.id`,
      [patientId],
    );
    return rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      caseId: r.case_id,
      changedBy: r.changed_by,
      changedByName: r.changed_by_name,
      changedAt: isoNotNull(r.changed_at),
      before: r.before,
      after: r.after,
    }));
  }
}

interface PatientRow {
  id: string;
  hospital_id: string;
  mrn: string;
  name: string;
  sex: 'M' | 'F' | 'O';
  birth_date: string | null;
}

function toPatient(r: PatientRow): PatientRecord {
  return {
    id: r.id,
    hospitalId: r.hospital_id,
    mrn: r.mrn,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
  };
}
