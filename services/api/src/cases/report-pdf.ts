import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import PDFDocument from 'pdfkit';
import type { Case, CriticalAckMethod, CriticalFinding, ReportKind, Urgency } from '@telemed/contracts';
import type { ReportSheet } from '@telemed/domain';

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  arabic: '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

let fonts: Record<FontName, Buffer> | null = null;

/** The embedded fonts (Chinese and Latin, and Arabic script for Uyghur), read once; pdfkit embeds a subset. */
function loadFonts(): Record<FontName, Buffer> {
  if (fonts) return fonts;
  const read = (name: FontName): Buffer => {
    try {
      return readFileSync(require.resolve(FONT_FILES[name]));
    } catch {
      throw new Error(
        `the report font ${FONT_FILES[name]} is missing; run pnpm install in services/api to install it`,
      );
    }
  };
  fonts = { regular: read('regular'), bold: read('bold'), arabic: read('arabic') };
  return fonts;
}

// bidi-js is CommonJS whose types describe an ES default export; required, it is the factory itself
const bidiFactory = require('bidi-js') as () => Bidi;
const bidi = bidiFactory();
// Arabic-script letters: only these need the bidi step and the Arabic font
const RTL_TEXT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/** A stretch of a line in one direction, in visual order; right-to-left stretches are left in logical order. */
interface Run {
  text: string;
  rtl: boolean;
}

/**
 * A line's stretches in the order they are seen, by the Unicode bidi algorithm (levels, then rule L2 over whole
 * runs). Each right-to-left run keeps its logical order because fontkit lays out and shapes an Arabic-script run
 * right to left itself.
 */
export function visualRuns(text: string): Run[] {
  if (!RTL_TEXT.test(text)) return [{ text, rtl: false }];
  const { levels } = bidi.getEmbeddingLevels(text, 'ltr');
  const runs: { text: string; level: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const level = levels[i] ?? 0;
    const last = runs.at(-1);
    if (last && last.level === level) last.text += text.charAt(i);
    else runs.push({ text: text.charAt(i), level });
  }
  const highest = Math.max(...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length; i++) {
      if ((runs[i]?.level ?? 0) < level) continue;
      let end = i;
      while (end + 1 < runs.length && (runs[end + 1]?.level ?? 0) >= level) end++;
      runs.splice(i, end - i + 1, ...runs.slice(i, end + 1).reverse());
      i = end;
    }
  }
  return runs.map((r) => ({ text: r.text, rtl: r.level % 2 === 1 }));
}

const KIND: Record<ReportKind, string> = {
  preliminary: '初步报告 Preliminary report',
  final: '正式报告 Final report',
  addendum: '补充报告 Addendum',
};
const URGENCY: Record<Urgency, string> = { stat: '急诊 STAT', urgent: '加急', routine: '常规' };
const SEX: Record<Case['patient']['sex'], string> = { M: '男', F: '女', O: '其他' };
const ZONE_NAME: Record<string, string> = { 'Asia/Shanghai': '北京时间', 'Asia/Urumqi': '新疆时间' };
const ACK_METHOD: Record<CriticalAckMethod, string> = {
  phone: '电话',
  in_app: '平台内确认',
  in_person: '当面',
};
const CRITICAL_RED = '#a8071a';

/** A moment on a hospital's clock, named: `2026-11-29 16:05 北京时间`. */
function onClock(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(iso));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const when = `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  return `${when} ${ZONE_NAME[timeZone] ?? timeZone}`;
}

const MARGIN = 56;
const GREY = '#555555';

/**
 * The report of a case as an A4 PDF, in Chinese, names in their own script and direction: the final report (or the
 * latest preliminary before there is one) signed by its specialist at a time on the city hospital's clock, the
 * addenda written after it with their authors, times and reasons, and any critical finding with who acknowledged it,
 * when and how.
 */
export async function renderReportPdf(sheet: ReportSheet): Promise<Buffer> {
  const f = loadFonts();
  const {
    case: c,
    report,
    addenda,
    criticalFindings,
    requestingHospital,
    readingHospital,
    readingDepartment,
  } = sheet;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `${KIND[report.kind]} ${c.id}`, Author: report.authorName },
    lang: 'zh-CN',
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.registerFont('arabic', f.arabic);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  /** One paragraph, its Arabic-script stretches in the Arabic font and in visual order. */
  const paragraph = (text: string, font: 'regular' | 'bold', size: number, prefix?: string): void => {
    const pieces: { text: string; font: FontName }[] = [];
    if (prefix) pieces.push({ text: prefix, font: 'bold' });
    for (const run of visualRuns(text || '—'))
      pieces.push({ text: run.text, font: run.rtl ? 'arabic' : font });
    pieces.forEach((piece, i) => {
      // with features given, pdfkit lays a run out whole rather than word by word, so fontkit orders the words of an
      // Arabic-script run right to left as well as the letters of each word
      const shaping =
        piece.font === 'arabic' ? { features: ['rlig', 'kern'] as PDFKit.Mixins.OpenTypeFeatures[] } : {};
      doc
        .font(piece.font)
        .fontSize(size)
        .text(piece.text, { width, lineGap: 3, continued: i < pieces.length - 1, ...shaping });
    });
  };
  const field = (label: string, value: string): void => {
    paragraph(value, 'regular', 10.5, `${label}：`);
    doc.moveDown(0.25);
  };
  const section = (title: string, text: string): void => {
    doc.moveDown(0.6);
    doc.font('bold').fontSize(12).fillColor('black').text(title, { width });
    doc.moveDown(0.2);
    for (const line of text.split(/\r?\n/)) paragraph(line, 'regular', 10.5);
  };
  const rule = (): void => {
    doc.moveDown(0.4);
    doc
      .moveTo(MARGIN, doc.y)
      .lineTo(MARGIN + width, doc.y)
      .lineWidth(0.6)
      .strokeColor('#999999')
      .stroke();
    doc.moveDown(0.6);
  };

  doc
    .font('bold')
    .fontSize(17)
    .text(readingHospital?.name ?? requestingHospital.name, { width, align: 'center' });
  doc.font('bold').fontSize(13).text('远程会诊影像诊断报告', { width, align: 'center' });
  doc
    .font('regular')
    .fontSize(10)
    .fillColor(GREY)
    .text(`${KIND[report.kind]} · 第 ${String(report.version)} 版`, { width, align: 'center' });
  doc.fillColor('black');
  rule();

  field('申请医院', `${requestingHospital.name} · ${c.requestingDepartmentName}`);
  field('诊断医院', readingHospital ? `${readingHospital.name} · ${readingDepartment?.name ?? ''}` : '—');
  field('患者', c.patient.name);
  field(
    '性别 / 出生日期 / 病历号',
    `${SEX[c.patient.sex]} / ${c.patient.birthDate ?? '—'} / ${c.patient.mrn}`,
  );
  field('检查', [c.modality, c.bodyPart].filter(Boolean).join(' ') || '—');
  if (c.accessionNumber) field('检查号', c.accessionNumber);
  field('紧急程度', URGENCY[c.urgency]);
  field('临床问题', c.clinicalQuestion);
  if (c.clinicalHistory) field('病史', c.clinicalHistory);
  rule();

  const readingZone = readingHospital?.timeZone ?? requestingHospital.timeZone;
  /** An instant on the city hospital's clock, and on the county hospital's as well when it keeps another zone. */
  const when = (iso: string): string => {
    const clocks = [onClock(iso, readingZone)];
    if (requestingHospital.timeZone !== readingZone) clocks.push(onClock(iso, requestingHospital.timeZone));
    return clocks.join('（') + (clocks.length > 1 ? '）' : '');
  };
  const critical = (finding: CriticalFinding): string =>
    finding.acknowledgedAt
      ? `已确认：${finding.acknowledgedByName ?? ''} · ${when(finding.acknowledgedAt)} · ${
          finding.method ? ACK_METHOD[finding.method] : ''
        }${finding.note ? ` · ${finding.note}` : ''}`
      : `尚未确认（报告第 ${String(finding.reportVersion)} 版标记于 ${when(finding.flaggedAt)}）`;

  if (report.critical || criticalFindings.length) {
    doc.font('bold').fontSize(12).fillColor(CRITICAL_RED).text('危急值 Critical finding', { width });
    doc.fillColor('black');
    for (const finding of criticalFindings)
      field(`危急值（第 ${String(finding.reportVersion)} 版）`, critical(finding));
  }
  section('检查所见', report.findings);
  section('诊断意见', report.impression);
  rule();

  field('报告医生', report.authorName);
  field('签发时间', when(report.createdAt));

  for (const addendum of addenda) {
    rule();
    doc
      .font('bold')
      .fontSize(12)
      .fillColor(addendum.critical ? CRITICAL_RED : 'black')
      .text(`补充报告 Addendum · 第 ${String(addendum.version)} 版${addendum.critical ? ' · 危急值' : ''}`, {
        width,
      });
    doc.fillColor('black');
    doc.moveDown(0.2);
    field('补充医生', addendum.authorName);
    field('补充时间', when(addendum.createdAt));
    field('补充原因', addendum.reason);
    section('检查所见', addendum.findings);
    section('诊断意见', addendum.impression);
  }
  doc.moveDown(0.8);
  doc
    .font('regular')
    .fontSize(8.5)
    .fillColor(GREY)
    .text('本报告仅供临床参考，以签发医生的最终报告为准。', { width });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
