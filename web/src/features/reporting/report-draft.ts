import { onSessionChange } from '../../lib/session';

/** A report being written and not yet saved: what the form holds. */
export interface ReportDraft {
  findings?: string;
  impression?: string;
  critical?: boolean;
  reason?: string;
}

const PREFIX = 'telemed.reportDraft.';
const keyOf = (userId: string, caseId: string): string => `${PREFIX}${userId}.${caseId}`;

/**
 * The unsaved text of a report, kept in this tab while the specialist looks at the images in the viewer and comes
 * back; gone when the tab closes, on sign-out, and once the version is written.
 */
export function loadDraft(userId: string, caseId: string): ReportDraft | null {
  try {
    const text = sessionStorage.getItem(keyOf(userId, caseId));
    return text ? (JSON.parse(text) as ReportDraft) : null;
  } catch {
    return null;
  }
}

/** Keeps the form's text as it is typed. */
export function saveDraft(userId: string, caseId: string, draft: ReportDraft): void {
  try {
    sessionStorage.setItem(keyOf(userId, caseId), JSON.stringify(draft));
  } catch {
    // storage full or refused: the text stays in the form, only not across a page change
  }
}

/** Forgets the draft once its version is written. */
export function clearDraft(userId: string, caseId: string): void {
  sessionStorage.removeItem(keyOf(userId, caseId));
}

// patient text does not outlive the session that wrote it
onSessionChange((session) => {
  if (session) return;
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
});
