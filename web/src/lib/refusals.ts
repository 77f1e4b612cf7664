import type { ProblemParams } from '@telemed/contracts';
import type { RefusalMessages } from './locales/refusals.zh';

/** A refused answer as the api sends it (problem+json), every part optional: a proxy may send less. */
export interface ProblemAnswer {
  code?: string;
  reason?: string;
  params?: ProblemParams;
  detail?: string;
  title?: string;
  errors?: { field: string; message: string; reason?: string; params?: ProblemParams }[];
}

/** A refusal as the user reads it: what happened, and each field at fault with what to change. */
export interface SaidRefusal {
  message: string;
  fields: { field: string; message: string }[];
}

// Values said with the words of the language, by the name the api gives them.
const WORDS: Partial<Record<string, keyof RefusalMessages['words']>> = {
  state: 'state',
  allowed: 'state',
  action: 'action',
  allow: 'allow',
  role: 'role',
  type: 'type',
  format: 'format',
  other: 'field',
};
const TIMES = new Set(['until', 'startsAt', 'endsAt']);

function spoken(
  name: string,
  value: string | number | string[],
  m: RefusalMessages,
  language: string,
): string {
  const vocabulary = WORDS[name];
  const words = vocabulary ? (m.words[vocabulary] as Record<string, string>) : undefined;
  const one = (v: string): string => words?.[v] ?? v;
  if (Array.isArray(value)) {
    const items = value.map(one);
    if (name !== 'allow' || items.length < 2) return items.join(m.words.list);
    return `${items.slice(0, -1).join(m.words.list)}${m.words.or}${items.at(-1) ?? ''}`;
  }
  if (typeof value === 'number') return String(value);
  if (name === 'type') return value.split(',').map(one).join(m.words.or);
  if (TIMES.has(name) && !Number.isNaN(Date.parse(value))) {
    return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date(value));
  }
  return one(value);
}

/** `template` with each {{name}} filled from `params`; null when one is missing, so the api's own text is used. */
function filled(
  template: string | undefined,
  params: ProblemParams | undefined,
  m: RefusalMessages,
  language: string,
): string | null {
  if (template === undefined) return null;
  const names = [...template.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? '');
  if (names.some((name) => params?.[name] === undefined)) return null;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) =>
    spoken(name, params?.[name] ?? '', m, language),
  );
}

function lookup(table: Record<string, string>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * A refusal in the user's language: by its particular reason, else by its error code when it has no reason; a reason
 * or code this app does not know yet keeps the api's own words, and so does a field without a known reason.
 */
export function sayRefusal(
  problem: ProblemAnswer,
  m: RefusalMessages,
  language: string,
  fallback: string,
): SaidRefusal {
  const template = problem.reason ? lookup(m.problems, problem.reason) : lookup(m.problems, problem.code);
  const own = problem.detail ?? problem.title ?? fallback;
  return {
    message: filled(template, problem.params, m, language) ?? own,
    fields: (problem.errors ?? []).map((f) => ({
      field: f.field,
      message: filled(lookup(m.fields, f.reason), f.params, m, language) ?? f.message,
    })),
  };
}

const loaded = new Map<string, Promise<RefusalMessages>>();

/** The refusal messages of a language, fetched once as a small chunk of their own (Chinese unless English). */
export function refusalMessages(language: string): Promise<RefusalMessages> {
  const key = language === 'en' ? 'en' : 'zh';
  let messages = loaded.get(key);
  if (!messages) {
    messages = (key === 'en' ? import('./locales/refusals.en') : import('./locales/refusals.zh')).then(
      (module) => module.refusals,
    );
    // a chunk that failed to arrive (a dropped link) is asked for again next time
    void messages.catch(() => loaded.delete(key));
    loaded.set(key, messages);
  }
  return messages;
}
