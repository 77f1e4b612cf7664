import { AppError } from '@telemed/contracts';
import { QIDO_KEYS, type MatchCondition } from '@telemed/db';
import { KEYWORDS, tagOf } from './dicom-levels.js';

export type Level = 'study' | 'series' | 'instance';

/** A QIDO-RS query, parsed. */
export interface QidoQuery {
  conditions: MatchCondition[];
  /** tags to add to each answer, beyond the level's defaults */
  includeFields: Set<string>;
  includeAll: boolean;
  limit: number;
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

/** Parses QIDO-RS query parameters for a search at `level`; a key the archive cannot match on is a 400. */
export function parseQido(level: Level, query: Record<string, string | string[] | undefined>): QidoQuery {
  const allowed = new Set(keysFor(level));
  const out: QidoQuery = {
    conditions: [],
    includeFields: new Set(),
    includeAll: false,
    limit: 100,
    offset: 0,
    fuzzyRefused: false,
  };
  for (const [name, rawValue] of Object.entries(query)) {
    const values = (Array.isArray(rawValue) ? rawValue : [rawValue ?? '']).map((v) => v.trim());
    const last = values[values.length - 1] ?? '';
    switch (name) {
      case 'limit':
      case 'offset': {
        const n = Number(last);
        if (!Number.isInteger(n) || n < 0 || (name === 'limit' && (n < 1 || n > 1000))) {
          throw new AppError(
            'bad_request',
            `${name} must be a whole number${name === 'limit' ? ' from 1 to 1000' : ''}`,
          );
        }
        out[name] = n;
        continue;
      }
      case 'fuzzymatching':
        out.fuzzyRefused = last.toLowerCase() === 'true';
        continue;
      case 'includefield':
        for (const field of values.flatMap((v) => v.split(','))) {
          if (field === 'all') out.includeAll = true;
          else {
            const tag = tagOf(field);
            if (!tag)
              throw new AppError('bad_request', `includefield ${field} is neither a known keyword nor a tag`);
            out.includeFields.add(tag);
          }
        }
        continue;
    }
    const tag = tagOf(name);
    const key = tag ? (KEYWORD_OF[tag] ?? name) : name;
    if (!allowed.has(key)) {
      throw new AppError(
        'bad_request',
        `${name} is not a matching key here; use one of ${[...allowed].join(', ')}, includefield, limit, offset`,
      );
    }
    if (tag) out.includeFields.add(tag);
    // an empty value is universal matching: return the attribute, match everything
    if (last !== '') out.conditions.push(condition(key, last));
  }
  return out;
}
