import type { DicomJsonObject } from '@telemed/db';

type Attr = DicomJsonObject[string];

/** The first value of an attribute as text ('' when absent); a person name as its groups joined by '='. */
export function text(json: DicomJsonObject, tag: string): string {
  const value = json[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    const pn = value as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
    return [pn.Alphabetic, pn.Ideographic, pn.Phonetic].filter((g) => g !== undefined).join('=');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The first value of an attribute as an integer, or null. */
export function int(json: DicomJsonObject, tag: string): number | null {
  const value = json[tag]?.Value?.[0];
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

/** The attributes of `json` whose tags are in `tags`. */
export function pick(json: DicomJsonObject, tags: readonly string[]): DicomJsonObject {
  const out: DicomJsonObject = {};
  for (const tag of tags) {
    const attr: Attr | undefined = json[tag];
    if (attr) out[tag] = attr;
  }
  return out;
}
