import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { takeIdleSignOut } from '../../lib/activity';
import { ApiError, signIn } from '../../lib/api-client';

interface Credentials {
  username: string;
  password: string;
}

/** Sign-in: username and password, the api's own words when it refuses. */
export function SignInPage(): React.JSX.Element {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [idle] = useState(takeIdleSignOut);

  const submit = async (values: Credentials): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.username.trim(), values.password);
      const next = params.get('next');
      // only paths of this app: never a link that leaves it
      void navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <section className="sign-in-card" aria-labelledby="sign-in-title">
        <div className="sign-in-head">
          <Typography.Title level={1} id="sign-in-title">
            {t('app.name')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
        {idle && !error && (
          <Alert type="info" title={t('idle.signedOut')} role="status" className="sign-in-error" />
        )}
        {error && <Alert type="error" title={error} role="alert" className="sign-in-error" />}
        <Form<Credentials> layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item
            label={t('signIn.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('signIn.usernameRequired') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('signIn.password')}
            name="password"
            rules={[{ required: true, message: t('signIn.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signIn.submit')}
          </Button>
        </Form>
      </section>
    </main>
  );
}
