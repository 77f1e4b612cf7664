import type { FormInstance } from 'antd';
import { ApiError } from './api-client';

/**
 * Puts each field the api refused under its own input, in the user's language; returns those the form shows no input
 * for, to be said with the refusal itself. `prefix` is where the form's values sit in the body (`patient.`).
 */
export function showFieldRefusals(
  form: FormInstance,
  error: unknown,
  prefix = '',
): { field: string; message: string }[] {
  if (!(error instanceof ApiError)) return [];
  // a field the api named, as the form names it: `querystring.limit` without its part, a body's without the prefix
  const formName = (field: string): string => {
    const name = field.replace(/^(body|querystring)\./, '');
    return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  };
  const shown = new Set<string>();
  // the filter is asked once per input the form holds, which is how a form tells what it shows
  form.getFieldsValue({
    filter: (meta) => {
      if (meta) shown.add(meta.name.join('.'));
      return false;
    },
  });
  const here = error.fields.filter((f) => shown.has(formName(f.field)));
  form.setFields(here.map((f) => ({ name: formName(f.field).split('.'), errors: [f.message] })));
  return error.fields
    .filter((f) => !shown.has(formName(f.field)))
    .map((f) => ({ field: formName(f.field), message: f.message }));
}
