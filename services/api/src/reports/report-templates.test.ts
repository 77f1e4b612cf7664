import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportTemplate } from '@telemed/contracts';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let admin: string;
let liming: string;
let tech: string;

beforeAll(async () => {
  t = await startTestApp();
  [admin, liming, tech] = (await Promise.all(['admin', 'liming', 'wangjianguo'].map((u) => t.login(u)))) as [
    string,
    string,
    string,
  ];
});
afterAll(async () => {
  await t.close();
});

const list = async (token: string, query: string): Promise<ReportTemplate[]> => {
  const res = await t.as(token, { method: 'GET', url: `/api/report-templates${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ReportTemplate[]>();
};

describe('report templates', () => {
  it('come seeded in Chinese for the common examinations', async () => {
    const all = await list(liming, '');
    const exams = all.map((x) => `${x.modality} ${x.bodyPart}`);
    for (const exam of ['CT HEAD', 'CT CHEST', 'CT ABDOMEN', 'DX CHEST', 'MR HEAD', 'US ABDOMEN'])
      expect(exams).toContain(exam);
    const [head] = await list(liming, '?modality=CT&bodyPart=HEAD');
    expect(head?.name).toBe('颅脑 CT 平扫');
    expect(head?.findings).toContain('中线结构居中');
    expect(head?.impression).toBe('颅脑 CT 平扫未见明显异常。');
    // only what was asked for
    expect((await list(liming, '?modality=US')).map((x) => x.bodyPart)).toEqual(['ABDOMEN']);
    expect(await list(liming, '?modality=CT&bodyPart=KNEE')).toEqual([]);
  });

  it('are added, changed and retired by administrators only, each change audited', async () => {
    const body = {
      modality: 'CT',
      bodyPart: 'KNEE',
      name: '膝关节 CT',
      findings: '膝关节诸骨骨质完整。',
      impression: '膝关节 CT 未见明显异常。',
    };
    const refused = await t.as(liming, { method: 'POST', url: '/api/report-templates', payload: body });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain('administrators');

    const created = await t.as(admin, { method: 'POST', url: '/api/report-templates', payload: body });
    expect(created.statusCode, created.body).toBe(201);
    const template = created.json<ReportTemplate>();
    expect(await list(tech, '?modality=CT&bodyPart=KNEE')).toEqual([template]);

    const again = await t.as(admin, { method: 'POST', url: '/api/report-templates', payload: body });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ detail: string }>().detail).toContain('choose another name');

    const retired = await t.as(admin, {
      method: 'PATCH',
      url: `/api/report-templates/${template.id}`,
      payload: { active: false },
    });
    expect(retired.statusCode, retired.body).toBe(200);
    expect(await list(liming, '?modality=CT&bodyPart=KNEE')).toEqual([]);
    expect((await list(admin, '?modality=CT&bodyPart=KNEE&includeInactive=true'))[0]?.active).toBe(false);
    const peek = await t.as(liming, { method: 'GET', url: '/api/report-templates?includeInactive=true' });
    expect(peek.statusCode).toBe(403);

    const { rows } = await t.db.pool.query<{ action: string; actor_username: string }>(
      `SELECT action, actor_username FROM audit_events WHERE resource_type = 'report_template' AND outcome = 'success'
       ORDER BY id`,
    );
    expect(rows).toEqual([
      { action: 'report_template.create', actor_username: 'admin' },
      { action: 'report_template.update', actor_username: 'admin' },
    ]);
  });

  it('refuse bad input saying what to fix, and change nothing', async () => {
    const bad = await t.as(admin, {
      method: 'POST',
      url: '/api/report-templates',
      payload: { modality: 'ct scan', bodyPart: 'HEAD', name: ' ', findings: 'x', impression: 'y' },
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['modality', 'name']));
    const missing = await t.as(admin, {
      method: 'PATCH',
      url: '/api/report-templates/00000000-0000-4000-8000-000000000000',
      payload: { name: '新名' },
    });
    expect(missing.statusCode).toBe(404);
    expect((await list(liming, '?modality=CT&bodyPart=HEAD')).map((x) => x.name)).toEqual(['颅脑 CT 平扫']);
  });
});
