import { Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

// what the api takes as a code: letters and digits first, then also - and _
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A text a form cannot do without: blank or only spaces is asked for again. */
export function RequiredText({
  name,
  label,
  maxLength,
  extra,
}: {
  name: string;
  label: string;
  maxLength: number;
  extra?: ReactNode;
}): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={label}
      extra={extra}
      rules={[{ required: true, whitespace: true, message: t('manage.required') }]}
    >
      <Input maxLength={maxLength} />
    </Form.Item>
  );
}

/** The short code a hospital or department is known by in routing rules and the gateway's settings. */
export function CodeField(): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="code"
      label={t('manage.code')}
      rules={[
        { required: true, message: t('manage.required') },
        { pattern: CODE, message: t('manage.codeRule') },
      ]}
    >
      <Input maxLength={40} />
    </Form.Item>
  );
}
