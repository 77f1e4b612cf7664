import {
  AppError,
  type ReportTemplate,
  type ReportTemplateCreate,
  type ReportTemplateQuery,
  type ReportTemplateUpdate,
} from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, isoNotNull, PG, pgCode, setClause } from '../rows.js';

interface TemplateRow {
  id: string;
  modality: string;
  body_part: string;
  name: string;
  findings: string;
  impression: string;
  active: boolean;
  updated_at: Date;
}

function toTemplate(r: TemplateRow): ReportTemplate {
  return {
    id: r.id,
    modality: r.modality,
    bodyPart: r.body_part,
    name: r.name,
    findings: r.findings,
    impression: r.impression,
    active: r.active,
    updatedAt: isoNotNull(r.updated_at),
  };
}

const duplicate = (t: { modality: string; bodyPart: string; name: string }): AppError =>
  new AppError(
    'template_name_taken',
    `a template named ${t.name} for ${t.modality} ${t.bodyPart} already exists; choose another name or change that one`,
    { params: { name: t.name } },
  );

/** The report templates readers start from, per modality and body part. */
export class ReportTemplatesRepository {
  constructor(private readonly db: Queryable) {}

  /** Templates for an examination (either part may be left out), active ones unless asked otherwise. */
  async list(q: ReportTemplateQuery): Promise<ReportTemplate[]> {
    const { rows } = await this.db.query<TemplateRow>(
      `SELECT * FROM report_templates
       WHERE ($1::text IS NULL OR modality = upper($1)) AND ($2::text IS NULL OR body_part = upper($2))
         AND (active OR $3)
       ORDER BY modality, body_part, name`,
      [q.modality ?? null, q.bodyPart ?? null, q.includeInactive ?? false],
    );
    return rows.map(toTemplate);
  }

  /** A new template; a conflict when its examination already has one of that name. */
  async create(input: ReportTemplateCreate, createdBy: string): Promise<ReportTemplate> {
    const t = { ...input, modality: input.modality.toUpperCase(), bodyPart: input.bodyPart.toUpperCase() };
    try {
      const { rows } = await this.db.query<TemplateRow>(
        `INSERT INTO report_templates (modality, body_part, name, findings, impression, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [t.modality, t.bodyPart, t.name.trim(), t.findings, t.impression, createdBy],
      );
      return toTemplate(firstRow(rows));
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw duplicate(t);
      throw error;
    }
  }

  /** Changes a template's name, text, or whether it is offered; not_found for an unknown id. */
  async update(id: string, input: ReportTemplateUpdate): Promise<ReportTemplate> {
    const params: unknown[] = [id];
    const set = setClause(
      {
        name: input.name?.trim(),
        findings: input.findings,
        impression: input.impression,
        active: input.active,
      },
      params,
    );
    try {
      const { rows } = await this.db.query<TemplateRow>(
        `UPDATE report_templates SET ${set} WHERE id = $1 RETURNING *`,
        params,
      );
      const row = rows[0];
      if (!row) throw new AppError('not_found', `report template ${id} does not exist`);
      return toTemplate(row);
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) {
        throw new AppError(
          'template_name_taken',
          `its examination already has a template named ${input.name ?? ''}; choose another name`,
          { params: { name: input.name ?? '' } },
        );
      }
      throw error;
    }
  }
}
