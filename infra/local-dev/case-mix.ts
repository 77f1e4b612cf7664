/**
 * What county hospitals send, in what proportions, and how long reading takes: the simulator's day and the routing
 * benchmark's load are drawn from here. Proportions follow a county radiology department's usual week: plain films
 * and head and chest CT dominate; one case in twenty is STAT.
 */
import type { Urgency } from '@telemed/contracts';

export { seededRandom } from '@telemed/dicom';

export interface ExamKind {
  /** the county department that sends it */
  department: 'RAD' | 'US';
  modality: string;
  bodyPart: string;
  question: string;
  weight: number;
  /** minutes a specialist takes to read one, fastest and slowest */
  readMinutes: [number, number];
}

export const EXAM_MIX: ExamKind[] = [
  {
    department: 'RAD',
    modality: 'CT',
    bodyPart: 'HEAD',
    question: '头痛伴呕吐，排除颅内出血',
    weight: 22,
    readMinutes: [6, 14],
  },
  {
    department: 'RAD',
    modality: 'CT',
    bodyPart: 'CHEST',
    question: '咳嗽两周，肺部结节随访',
    weight: 18,
    readMinutes: [8, 16],
  },
  {
    department: 'RAD',
    modality: 'DX',
    bodyPart: 'CHEST',
    question: '发热，排除肺炎',
    weight: 18,
    readMinutes: [2, 5],
  },
  {
    department: 'RAD',
    modality: 'CT',
    bodyPart: 'ABDOMEN',
    question: '右下腹痛，排除阑尾炎',
    weight: 10,
    readMinutes: [10, 20],
  },
  {
    department: 'RAD',
    modality: 'MR',
    bodyPart: 'BRAIN',
    question: '左侧肢体无力，排除脑梗死',
    weight: 8,
    readMinutes: [12, 25],
  },
  {
    department: 'RAD',
    modality: 'MR',
    bodyPart: 'SPINE',
    question: '腰痛伴下肢放射痛',
    weight: 5,
    readMinutes: [10, 20],
  },
  {
    department: 'US',
    modality: 'US',
    bodyPart: 'ABDOMEN',
    question: '上腹不适，肝胆胰脾检查',
    weight: 12,
    readMinutes: [4, 9],
  },
  {
    department: 'RAD',
    modality: 'DX',
    bodyPart: 'EXTREMITY',
    question: '外伤后腕部疼痛，排除骨折',
    weight: 7,
    readMinutes: [2, 4],
  },
];

export const URGENCY_MIX: { urgency: Urgency; weight: number }[] = [
  { urgency: 'stat', weight: 5 },
  { urgency: 'urgent', weight: 20 },
  { urgency: 'routine', weight: 75 },
];

function pick<T extends { weight: number }>(items: T[], random: () => number): T {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  let at = random() * total;
  for (const item of items) {
    at -= item.weight;
    if (at < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** One case to send: what was examined, why, and how urgently. */
export interface DrawnCase {
  exam: ExamKind;
  urgency: Urgency;
}

/** Draws the next case of the mix, of one sending department if named. */
export function drawCase(random: () => number, department?: ExamKind['department']): DrawnCase {
  const exams = department ? EXAM_MIX.filter((e) => e.department === department) : EXAM_MIX;
  return { exam: pick(exams, random), urgency: pick(URGENCY_MIX, random).urgency };
}

/** Minutes to read a case: within the exam's range, STAT read first and fast. */
export function readMinutes(c: DrawnCase, random: () => number): number {
  const [low, high] = c.exam.readMinutes;
  const minutes = low + (high - low) * random();
  return c.urgency === 'stat' ? minutes * 0.6 : minutes;
}

/**
 * Cases per hour a county hospital sends at an hour of its day: a morning peak, a smaller afternoon one, a few at
 * night (emergencies).
 */
export function hourlyRate(hour: number, perDay: number): number {
  const shape = [1, 1, 1, 1, 1, 1, 2, 4, 9, 12, 12, 10, 6, 6, 9, 10, 8, 5, 3, 3, 2, 2, 1, 1];
  const total = shape.reduce((a, b) => a + b, 0);
  return (perDay * (shape[hour % 24] ?? 1)) / total;
}
