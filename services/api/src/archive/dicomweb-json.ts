import type { DicomJsonObject, InstanceRow, SeriesRow, StudyRow } from '@telemed/db';
import { pick } from './dicom-json-values.js';
import { INSTANCE_TAGS } from './dicom-levels.js';
import { availableTransferSyntaxes } from './frame-media.js';

const ONLINE = { vr: 'CS', Value: ['ONLINE'] };

function sorted(json: DicomJsonObject): DicomJsonObject {
  return Object.fromEntries(Object.entries(json).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function only(
  json: DicomJsonObject,
  include: Set<string> | 'all',
  defaults: readonly string[],
): DicomJsonObject {
  if (include === 'all') return json;
  return pick(json, [...defaults, ...include]);
}

/** A study as QIDO answers it. */
export function studyJson(row: StudyRow, base: string, include: Set<string> | 'all'): DicomJsonObject {
  return sorted({
    ...only(row.attributes, include, Object.keys(row.attributes)),
    '00080056': ONLINE,
    '00080061': { vr: 'CS', Value: row.modalities },
    '00081190': { vr: 'UR', Value: [`${base}/studies/${row.study_instance_uid}`] },
    '00201206': { vr: 'IS', Value: [row.series_count] },
    '00201208': { vr: 'IS', Value: [row.instance_count] },
  });
}

/** A series as QIDO answers it. */
export function seriesJson(row: SeriesRow, base: string, include: Set<string> | 'all'): DicomJsonObject {
  return sorted({
    ...only(row.attributes, include, Object.keys(row.attributes)),
    '00080056': ONLINE,
    '0020000D': { vr: 'UI', Value: [row.study_instance_uid] },
    '00081190': {
      vr: 'UR',
      Value: [`${base}/studies/${row.study_instance_uid}/series/${row.series_instance_uid}`],
    },
    '00201209': { vr: 'IS', Value: [row.instance_count] },
  });
}

/** The URL of an instance. */
export function instanceUrl(row: InstanceRow, base: string): string {
  return `${base}/studies/${row.study_instance_uid}/series/${row.series_instance_uid}/instances/${row.sop_instance_uid}`;
}

/** Available Transfer Syntax UID (0008,3002): what the instance's frames can be retrieved in. */
function availableSyntaxes(row: InstanceRow): DicomJsonObject[string] {
  return { vr: 'UI', Value: availableTransferSyntaxes(row.transfer_syntax_uid) };
}

/**
 * An instance's metadata with every bulk value pointing at where this archive serves it, and the transfer syntaxes
 * its frames can be had in.
 */
export function metadataJson(row: InstanceRow, base: string): DicomJsonObject {
  const url = instanceUrl(row, base);
  const out: DicomJsonObject = {};
  for (const [tag, attr] of Object.entries(row.metadata)) {
    out[tag] = attr.BulkDataURI === undefined ? attr : { vr: attr.vr, BulkDataURI: `${url}/bulkdata/${tag}` };
  }
  out['00083002'] = availableSyntaxes(row);
  return sorted(out);
}

/** An instance as QIDO answers it: the defaults, or with includefield the attributes asked for. */
export function instanceJson(row: InstanceRow, base: string, include: Set<string> | 'all'): DicomJsonObject {
  const metadata = metadataJson(row, base);
  return sorted({
    ...only(metadata, include, INSTANCE_TAGS),
    '00080016': { vr: 'UI', Value: [row.sop_class_uid] },
    '00080018': { vr: 'UI', Value: [row.sop_instance_uid] },
    '00080056': ONLINE,
    '00083002': availableSyntaxes(row),
    '0020000D': { vr: 'UI', Value: [row.study_instance_uid] },
    '0020000E': { vr: 'UI', Value: [row.series_instance_uid] },
    '00081190': { vr: 'UR', Value: [instanceUrl(row, base)] },
  });
}
