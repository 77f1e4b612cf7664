/** What the archive said of one batch: how many instances it stored, and why it refused any. */
export interface StowAnswer {
  stored: number;
  failures: string[];
}

interface Item {
  '00000902'?: { Value?: string[] };
  '00081155'?: { Value?: string[] };
}

/** Reads a STOW-RS response (DICOM JSON); null when the body is not one (a proxy's error page, an empty body). */
export function readStowAnswer(body: string): StowAnswer | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const json = parsed as Record<string, { Value?: Item[] } | undefined>;
  const stored = json['00081199']?.Value ?? [];
  const failed = json['00081198']?.Value ?? [];
  if (!json['00081199'] && !json['00081198']) return null;
  return {
    stored: stored.length,
    failures: failed.map(
      (f) => `${f['00081155']?.Value?.[0] ?? '?'}: ${f['00000902']?.Value?.[0] ?? 'refused by the archive'}`,
    ),
  };
}
