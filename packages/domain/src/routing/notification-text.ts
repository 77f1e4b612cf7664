import type { Case, Urgency } from '@telemed/contracts';

const URGENCY_LABEL: Record<Urgency, string> = { stat: '急诊 STAT', urgent: '加急', routine: '常规' };

/** A case in a line: urgency, what was examined, where from. No patient name: notifications show on lock screens. */
export function caseLine(c: Case): string {
  const exam = [c.modality, c.bodyPart].filter(Boolean).join(' ');
  return [URGENCY_LABEL[c.urgency], exam, c.requestingHospitalName].filter(Boolean).join(' · ');
}
