/**
 * Writes a synthetic series to a directory:
 *   node packages/dicom/dist/node/generate-cli.js --out DIR --modality CT --slices 300
 */
import { parseArgs } from 'node:util';
import { seriesUids } from '../generator.js';
import type { GeneratorCharset, SeriesOptions } from '../generator.js';
import { writeGeneratedSeries } from './generate-series.js';

const USAGE = `Usage: generate-cli --out DIR [options]
  --out DIR              directory to write into (created if missing)
  --modality CT|MR       default CT
  --slices N             default 100
  --rows N --columns N   default 512 (CT) or 256 (MR)
  --seed N               default 1; same options give byte-identical files
  --patient-name NAME    PN, groups separated by '=' (default 张三)
  --patient-id ID
  --charset CS           GB18030 (default), ISO_IR 192 or ISO_IR 100
  --study-uid UID        put the series into an existing study
  --accession NUMBER
  --thickness MM         slice thickness`;

const CHARSETS: readonly GeneratorCharset[] = ['GB18030', 'ISO_IR 192', 'ISO_IR 100'];

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new Error(`--${name} needs a positive integer, got '${value}'`);
  }
  return parsed;
}

function parseOptions(argv: string[]): SeriesOptions & { outDir: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      modality: { type: 'string', default: 'CT' },
      slices: { type: 'string', default: '100' },
      rows: { type: 'string' },
      columns: { type: 'string' },
      seed: { type: 'string' },
      'patient-name': { type: 'string' },
      'patient-id': { type: 'string' },
      charset: { type: 'string' },
      'study-uid': { type: 'string' },
      accession: { type: 'string' },
      thickness: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.out) throw new Error('--out is required');
  const modality = values.modality.toUpperCase();
  if (modality !== 'CT' && modality !== 'MR') {
    throw new Error(`--modality must be CT or MR, got '${values.modality}'`);
  }
  const charset = values.charset as GeneratorCharset | undefined;
  if (charset !== undefined && !CHARSETS.includes(charset)) {
    throw new Error(`--charset must be one of ${CHARSETS.join(', ')}`);
  }
  const thickness = values.thickness === undefined ? undefined : Number(values.thickness);
  if (thickness !== undefined && !(thickness > 0)) {
    throw new Error('--thickness needs a positive number of mm');
  }
  return {
    outDir: values.out,
    modality,
    slices: integer('slices', values.slices) ?? 100,
    rows: integer('rows', values.rows),
    columns: integer('columns', values.columns),
    seed: integer('seed', values.seed),
    patientName: values['patient-name'],
    patientId: values['patient-id'],
    charset,
    studyInstanceUid: values['study-uid'],
    accessionNumber: values.accession,
    sliceThickness: thickness,
  };
}

async function main(): Promise<void> {
  let options: SeriesOptions & { outDir: string };
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { studyInstanceUid, seriesInstanceUid } = seriesUids(options);
  const started = Date.now();
  const step = Math.max(1, Math.round(options.slices / 10));
  const tty = process.stdout.isTTY;
  await writeGeneratedSeries({
    ...options,
    onProgress: (written, total) => {
      const line = `${options.modality} ${written}/${total} (${Math.round((written / total) * 100)}%)`;
      if (tty) process.stdout.write(`\r${line}${written === total ? '\n' : ''}`);
      else if (written % step === 0 || written === total) console.log(line);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Wrote ${options.slices} files to ${options.outDir} in ${seconds} s`);
  console.log(`Study ${studyInstanceUid}\nSeries ${seriesInstanceUid}`);
}

await main();
