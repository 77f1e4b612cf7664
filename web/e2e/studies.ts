/**
 * Studies and cases for the viewer's browser tests: instances sent over STOW-RS as a county technician sends them,
 * and a case on that study claimed by a city specialist.
 */
import type { Case } from '@telemed/contracts';
import { encodeMultipartRelated, newBoundary } from '@telemed/dicom';
import type { Platform } from './platform.js';

/** The technician of the county hospital and the specialist of its partnered city department, as seeded. */
export const TECHNICIAN = 'wangjianguo';
export const SPECIALIST = 'chenjing';

/** Sends Part 10 files over STOW-RS in requests of `batch` instances; fails with the archive's answer. */
export async function storeInstances(
  p: Platform,
  token: string,
  files: Iterable<Uint8Array>,
  batch = 25,
): Promise<number> {
  let stored = 0;
  let parts: Uint8Array[] = [];
  const send = async (): Promise<void> => {
    if (!parts.length) return;
    const boundary = newBoundary();
    const body = encodeMultipartRelated(
      parts.map((b) => ({ contentType: 'application/dicom', body: b })),
      boundary,
    );
    const res = await fetch(`${p.base}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/dicom+json',
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
      body: new Uint8Array(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`STOW-RS answered ${res.status}: ${text.slice(0, 500)}`);
    stored += parts.length;
    parts = [];
  };
  for (const file of files) {
    parts.push(file);
    if (parts.length >= batch) await send();
  }
  await send();
  return stored;
}

/** A submitted case on `studyUid` for a patient, claimed by the city specialist: theirs to read. */
export async function claimedCase(
  p: Platform,
  patient: { mrn: string; name: string; sex: 'M' | 'F'; birthDate: string },
  studyUid: string,
): Promise<Case> {
  const tech = await p.login(TECHNICIAN);
  const reader = await p.login(SPECIALIST);
  const c = await p.api<Case>(tech, 'POST', '/api/cases', {
    patient,
    urgency: 'urgent',
    clinicalQuestion: '请阅片并评估',
    modality: 'CT',
    bodyPart: 'HEAD',
    studyInstanceUid: studyUid,
  });
  await p.api(tech, 'POST', `/api/cases/${c.id}/submit`);
  await p.api(reader, 'POST', `/api/cases/${c.id}/claim`);
  return p.waitForCase(reader, c.id, (x) => x.state === 'assigned');
}

/**
 * An urgent CT head case of the county technician (`tech`'s token), claimed by the reader (`reader`'s token) and
 * being read. With a study UID that has not arrived, nobody routes it: the test decides who reads it.
 */
export async function caseInReview(
  p: Platform,
  tokens: { tech: string; reader: string },
  patient: { mrn: string; name: string; sex: 'M' | 'F'; birthDate: string },
  clinicalQuestion: string,
  studyUid: string,
): Promise<Case> {
  const created = await p.api<Case>(tokens.tech, 'POST', '/api/cases', {
    patient,
    urgency: 'urgent',
    clinicalQuestion,
    modality: 'CT',
    bodyPart: 'HEAD',
    studyInstanceUid: studyUid,
  });
  await p.api(tokens.tech, 'POST', `/api/cases/${created.id}/submit`);
  await p.api(tokens.reader, 'POST', `/api/cases/${created.id}/claim`);
  return p.api<Case>(tokens.reader, 'POST', `/api/cases/${created.id}/start-review`);
}
