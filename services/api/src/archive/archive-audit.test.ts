import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@telemed/contracts';
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  tech = await t.login('wangjianguo');
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

async function events(query: string): Promise<AuditEvent[]> {
  const res = await t.as(admin, { method: 'GET', url: `/api/admin/audit?${query}&limit=200` });
  expect(res.statusCode).toBe(200);
  return res.json<{ items: AuditEvent[] }>().items;
}

describe('a viewer’s reads of a study, recorded once per session and window', () => {
  it('are still recorded after an audit insert failed', async () => {
    const options: SeriesOptions = { modality: 'MR', slices: 2, seed: 8801, rows: 32, columns: 32 };
    expect((await t.stow(tech, [...generateSeries(options)])).statusCode).toBe(200);
    const study = seriesUids(options).studyInstanceUid;
    const read = () => t.as(tech, { method: 'GET', url: `/dicomweb/studies/${study}/metadata` });

    // the audit trail refuses this one insert, as a full disk or a lost connection would
    await t.db.pool.query(`
      CREATE FUNCTION refuse_metadata_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit insert refused for the test'; END $$;
      CREATE TRIGGER refuse_metadata_audit BEFORE INSERT ON audit_events
        FOR EACH ROW WHEN (NEW.action = 'dicom.metadata') EXECUTE FUNCTION refuse_metadata_audit();`);
    try {
      expect((await read()).statusCode).toBe(500);
    } finally {
      await t.db.pool.query(`
        DROP TRIGGER refuse_metadata_audit ON audit_events;
        DROP FUNCTION refuse_metadata_audit();`);
    }
    expect(await events(`resourceId=${study}&action=dicom.metadata`)).toEqual([]);

    // the next read within the window is recorded, and only then are repeats coalesced
    expect((await read()).statusCode).toBe(200);
    expect((await read()).statusCode).toBe(200);
    const recorded = await events(`resourceId=${study}&action=dicom.metadata`);
    expect(recorded.map((e) => [e.actorUsername, e.outcome])).toEqual([['wangjianguo', 'success']]);
  });
});

describe('finishing a resumable upload', () => {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  async function upload(body: Buffer, sha256: string): Promise<{ status: number; id: string }> {
    const created = await t.as(tech, {
      method: 'POST',
      url: '/dicomweb/uploads',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(body.length),
        'upload-metadata': `filetype ${b64('application/dicom')},sha256 ${b64(sha256)}`,
        'user-agent': 'county-uploader/2.1',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const location = new URL(String(created.headers.location)).pathname;
    const patched = await t.as(tech, {
      method: 'PATCH',
      url: location,
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'user-agent': 'county-uploader/2.1',
      },
      payload: body,
    });
    return { status: patched.statusCode, id: location.split('/').pop() ?? '' };
  }

  async function storeEvent(id: string): Promise<AuditEvent | undefined> {
    const all = await events(`action=dicom.store&actorId=${await t.userId('wangjianguo')}`);
    return all.find((e) => e.details.upload === id);
  }

  it('records a stored upload with the client’s address', async () => {
    const options: SeriesOptions = { modality: 'CT', slices: 1, seed: 8802, rows: 32, columns: 32 };
    const body = Buffer.from([...generateSeries(options)][0] ?? []);
    const { status, id } = await upload(body, createHash('sha256').update(body).digest('hex'));
    expect(status).toBe(200);
    expect(await storeEvent(id)).toMatchObject({
      outcome: 'success',
      resourceId: seriesUids(options).studyInstanceUid,
      ip: '127.0.0.1',
      userAgent: 'county-uploader/2.1',
      details: { upload: id, stored: 1, failed: 0 },
    });
  });

  it('records an upload whose finish fails, with the client’s address and why', async () => {
    const options: SeriesOptions = { modality: 'CT', slices: 1, seed: 8803, rows: 32, columns: 32 };
    const body = Buffer.from([...generateSeries(options)][0] ?? []);
    const { status, id } = await upload(body, '0'.repeat(64));
    expect(status).toBe(460);
    const event = await storeEvent(id);
    expect(event).toMatchObject({
      outcome: 'invalid',
      ip: '127.0.0.1',
      userAgent: 'county-uploader/2.1',
      details: { upload: id },
    });
    expect(String(event?.details.reason)).toMatch(/sha256/);
  });
});
