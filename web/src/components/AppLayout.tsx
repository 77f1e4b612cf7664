import { Button, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../features/auth/useSession';
import { signOut } from '../lib/api-client';
import { LanguageSwitch } from './LanguageSwitch';

/** The frame of every signed-in screen: the app's name, navigation by role, who is signed in, sign-out. */
export function AppLayout(): React.JSX.Element {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const user = session?.user;
  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <Typography.Text strong className="app-name">
          {t('app.name')}
        </Typography.Text>
        <nav aria-label={t('nav.cases')} className="app-nav">
          <Menu
            mode="horizontal"
            theme="dark"
            selectedKeys={[location.pathname.split('/')[1] ?? '']}
            items={[{ key: 'cases', label: t('nav.cases') }]}
            onClick={({ key }) => void navigate(`/${key}`)}
          />
        </nav>
        <Space className="app-user">
          {user && (
            <Typography.Text className="app-user-name">
              {user.displayName} · {t(`roles.${user.role}`)}
              {user.hospitalName ? ` · ${user.hospitalName}` : ''}
            </Typography.Text>
          )}
          <LanguageSwitch />
          <Button onClick={() => void signOut().then(() => navigate('/sign-in'))}>{t('nav.signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="app-content">
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
