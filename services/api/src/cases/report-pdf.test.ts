import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Hospital, Notification } from '@telemed/contracts';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let owner: string;
let specialist: string;
let caseId: string;
const dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
const UYGHUR_NAME = 'مۇھەممەت تۇرسۇن';
const FINDINGS = '右肺下叶见斑片状高密度影，边界模糊，纵隔淋巴结未见肿大。';

/** The text of a PDF as poppler's pdftotext reads it. */
function pdfText(pdf: Buffer): string {
  const file = join(dir, `${String(Date.now())}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login('wangjianguo');
  specialist = await t.login('liming');
  const admin = await t.login('admin');
  const created = await t.as(owner, {
    method: 'POST',
    url: '/api/cases',
    payload: {
      patient: { mrn: 'QC-PDF-1', name: UYGHUR_NAME, sex: 'M', birthDate: '1968-03-02' },
      urgency: 'urgent',
      clinicalQuestion: '咳嗽两周，发热，请排除肺炎',
      modality: 'CT',
      bodyPart: 'CHEST',
    },
  });
  caseId = created.json<Case>().id;
  await t.as(owner, { method: 'POST', url: `/api/cases/${caseId}/submit` });
  const assigned = await t.as(admin, {
    method: 'POST',
    url: `/api/cases/${caseId}/assign`,
    payload: { specialistId: await t.userId('liming') },
  });
  expect(assigned.statusCode, assigned.body).toBe(200);
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/cases/:id/report.pdf', () => {
  it('answers 404 while the case has no report', async () => {
    const res = await t.as(owner, { method: 'GET', url: `/api/cases/${caseId}/report.pdf` });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ detail: string }>().detail).toContain('no report yet');
  });

  it('prints the latest report: both hospitals, the Uyghur name, the Chinese findings', async () => {
    await t.as(specialist, { method: 'POST', url: `/api/cases/${caseId}/start-review` });
    const wrote = await t.as(specialist, {
      method: 'POST',
      url: `/api/cases/${caseId}/reports`,
      payload: { kind: 'final', findings: FINDINGS, impression: '右肺下叶肺炎，建议抗感染治疗后复查。' },
    });
    expect(wrote.statusCode, wrote.body).toBe(200);
    const res = await t.as(owner, { method: 'GET', url: `/api/cases/${caseId}/report.pdf` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(join(tmpdir(), 'report-pdf-last.pdf'), pdf);
    const text = pdfText(pdf).replace(/\s+/g, '');
    const hospitals = (await t.as(owner, { method: 'GET', url: '/api/hospitals' })).json<Hospital[]>();
    const c = (await t.as(owner, { method: 'GET', url: `/api/cases/${caseId}` })).json<Case>();
    const requesting = hospitals.find((h) => h.id === c.requestingHospitalId);
    const reading = hospitals.find((h) => h.kind === 'city' && text.includes(h.name));
    expect(requesting && text.includes(requesting.name)).toBe(true);
    expect(reading, 'the reading city hospital is named').toBeDefined();
    expect(text).toContain(FINDINGS.replace(/\s+/g, ''));
    expect(text).toContain('正式报告');
    expect(text).toContain('李明');
    // each word of the name, whichever way poppler orders the words of a right-to-left line
    for (const word of UYGHUR_NAME.split(' ')) expect(text).toContain(word);
  });

  it('tells the technician who opened the case that the report is written', async () => {
    const res = await t.as(owner, { method: 'GET', url: '/api/notifications' });
    const kinds = res
      .json<Notification[]>()
      .filter((n) => n.caseId === caseId)
      .map((n) => n.kind);
    expect(kinds).toContain('case.reported');
    expect(kinds).toContain('case.accepted');
  });

  it('is not found for a technician of another hospital', async () => {
    const outsider = await t.login('zhangwei');
    const res = await t.as(outsider, { method: 'GET', url: `/api/cases/${caseId}/report.pdf` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).not.toBe('application/pdf');
  });
});
