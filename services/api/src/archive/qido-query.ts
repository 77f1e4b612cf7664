import { AppError, type QidoQuery } from '@telemed/contracts';
import { QIDO_KEYS, type MatchCondition } from '@telemed/db';
import { KEYWORDS, tagOf } from './dicom-levels.js';

export type Level = 'study' | 'series' | 'instance';

/** Matches a search answers when the client names no limit; a client may ask for up to QidoQuery's maximum (1000). */
export const QIDO_DEFAULT_LIMIT = 100;

/** The query keys that are not attributes to match on. */
const QIDO_CONTROL_KEYS = new Set(['limit', 'offset', 'fuzzymatching', 'includefield']);

/** A QIDO-RS query, parsed. */
export interface ParsedQido {
  conditions: MatchCondition[];
  /** tags to add to each answer, beyond the level's defaults */
  includeFields: Set<string>;
  includeAll: boolean;
  limit: number;
  /** no limit was asked for: the default applied, and a search it cuts short must say so */
  limitDefaulted: boolean;
  offset: number;
  /** fuzzy matching was asked for and is not offered */
  fuzzyRefused: boolean;
}

const KEYWORD_OF = Object.fromEntries(Object.entries(KEYWORDS).map(([k, tag]) => [tag, k]));
const UID_KEYS = new Set(['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'SOPClassUID']);
const DATE_TIME_KEYS = new Set(['StudyDate', 'StudyTime', 'PatientBirthDate']);
const PN_KEYS = new Set(['PatientName', 'ReferringPhysicianName']);
const INT_KEYS = new Set(['SeriesNumber', 'InstanceNumber']);

/** The matching keys allowed when searching `level` (that level and the ones above it). */
export function keysFor(level: Level): string[] {
  if (level === 'study') return QIDO_KEYS.study;
  if (level === 'series') return [...QIDO_KEYS.study, ...QIDO_KEYS.series];
  return [...QIDO_KEYS.study, ...QIDO_KEYS.series, ...QIDO_KEYS.instance];
}

function condition(key: string, raw: string): MatchCondition {
  if (UID_KEYS.has(key)) {
    const values = raw
      .split(/[\\,]/)
      .map((v) => v.trim())
      .filter(Boolean);
    if (!values.every((v) => /^[0-9]+(\.[0-9]+)*$/.test(v) && v.length <= 64)) {
      throw new AppError(
        'bad_request',
        `${key} must be one or more UIDs (digits and dots), separated by commas`,
      );
    }
    return { column: key, op: 'anyOf', values };
  }
  if (DATE_TIME_KEYS.has(key)) {
    const dash = raw.indexOf('-');
    const check = (v: string): string => {
      if (v && !/^\d{4,14}(\.\d{1,6})?$/.test(v)) {
        throw new AppError(
          'bad_request',
          `${key} must be a DICOM date or time, or a range like 20260101-20261231`,
        );
      }
      return v;
    };
    if (dash >= 0) {
      const from = check(raw.slice(0, dash));
      const to = check(raw.slice(dash + 1));
      // an open end of a time range still has to cover the whole last second
      return { column: key, op: 'range', from: from || null, to: to ? `${to}\uffff` : null };
    }
    return { column: key, op: 'equals', value: check(raw) };
  }
  if (INT_KEYS.has(key)) {
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new AppError('bad_request', `${key} must be a whole number`);
    return { column: key, op: 'intEquals', value: n };
  }
  if (key === 'ModalitiesInStudy') return { column: key, op: 'arrayHas', value: raw };
  if (PN_KEYS.has(key) || /[*?]/.test(raw)) {
    return { column: key, op: 'wildcard', value: raw, caseInsensitive: PN_KEYS.has(key) };
  }
  return { column: key, op: 'equals', value: raw };
}

/** The last of a key's values (a repeated key gives several), trimmed; empty for universal matching. */
function lastValue(raw: unknown): string {
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];
  const last = values[values.length - 1];
  return typeof last === 'string' ? last.trim() : '';
}

/**
 * Parses a validated QIDO-RS query for a search at `level`: paging and includefield are typed by the schema, every
 * other key is a matching key, and one the archive cannot match on at this level is a 400.
 */
export function parseQido(level: Level, query: QidoQuery): ParsedQido {
  const allowed = new Set(keysFor(level));
  const out: ParsedQido = {
    conditions: [],
    includeFields: new Set(),
    includeAll: false,
    limit: query.limit ?? QIDO_DEFAULT_LIMIT,
    limitDefaulted: query.limit === undefined,
    offset: query.offset ?? 0,
    fuzzyRefused: query.fuzzymatching === true,
  };
  for (const field of (query.includefield ?? []).flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (!field) continue;
    if (field === 'all') out.includeAll = true;
    else {
      const tag = tagOf(field);
      if (!tag)
        throw new AppError('bad_request', `includefield ${field} is neither a known keyword nor a tag`);
      out.includeFields.add(tag);
    }
  }
  for (const [name, raw] of Object.entries(query)) {
    if (QIDO_CONTROL_KEYS.has(name)) continue;
    const tag = tagOf(name);
    const key = tag ? (KEYWORD_OF[tag] ?? name) : name;
    if (!allowed.has(key)) {
      throw new AppError(
        'bad_request',
        `${name} is not a matching key here; use one of ${[...allowed].join(', ')}, includefield, limit, offset`,
      );
    }
    if (tag) out.includeFields.add(tag);
    const value = lastValue(raw);
    // an empty value is universal matching: return the attribute, match everything
    if (value !== '') out.conditions.push(condition(key, value));
  }
  return out;
}
