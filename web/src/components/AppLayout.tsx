import { rolePermits, type PlatformPermission, type Role } from '@telemed/contracts';
import { Button, Layout, Menu, Space, Typography, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../features/auth/useSession';
import { signOut } from '../lib/api-client';
import { IdleGuard } from './IdleGuard';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './NotificationBell';

/** A place in the navigation, offered to the roles the permission table lets do what it is for. */
interface Place {
  path: string;
  label: string;
  needs: PlatformPermission | null;
}

const PLACES: Place[] = [
  { path: '/admin', label: 'nav.dashboard', needs: 'queues.manage' },
  { path: '/worklist', label: 'nav.worklist', needs: 'worklist.read' },
  { path: '/cases', label: 'nav.cases', needs: null },
  { path: '/upload', label: 'nav.upload', needs: 'studies.send' },
  { path: '/quality', label: 'nav.quality', needs: 'quality.read' },
];
const MANAGE: Place[] = [
  { path: '/admin/hospitals', label: 'nav.hospitals', needs: 'organisation.manage' },
  { path: '/admin/users', label: 'nav.users', needs: 'people.manage' },
  { path: '/admin/roster', label: 'nav.roster', needs: 'people.manage' },
  { path: '/admin/routing', label: 'nav.routing', needs: 'routing.manage' },
  { path: '/admin/audit', label: 'nav.audit', needs: 'people.manage' },
];

function offered(role: Role, places: Place[]): Place[] {
  return places.filter((p) => p.needs === null || rolePermits(role, p.needs));
}

/** The navigation item a path belongs to: the longest place that starts it. */
function selectedPlace(pathname: string): string {
  const all = [...PLACES, ...MANAGE].map((p) => p.path);
  return (
    all
      .filter((p) => pathname === p || pathname.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0] ?? ''
  );
}

/** The frame of every signed-in screen: the app's name, navigation by role, who is signed in, sign-out. */
export function AppLayout(): React.JSX.Element {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const user = session?.user;
  const role = user?.role ?? 'technician';
  const manage = offered(role, MANAGE);
  const items: MenuProps['items'] = [
    ...offered(role, PLACES).map((p) => ({ key: p.path, label: t(p.label) })),
    ...(manage.length
      ? [
          {
            key: 'manage',
            label: t('nav.manage'),
            children: manage.map((p) => ({ key: p.path, label: t(p.label) })),
          },
        ]
      : []),
  ];
  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <Typography.Text strong className="app-name">
          {t('app.name')}
        </Typography.Text>
        <nav aria-label={t('nav.main')} className="app-nav">
          <Menu
            mode="horizontal"
            theme="dark"
            selectedKeys={[selectedPlace(location.pathname)]}
            items={items}
            onClick={({ key }) => void navigate(key)}
          />
        </nav>
        <Space className="app-user">
          {user && (
            <Typography.Text className="app-user-name">
              {user.displayName} · {t(`roles.${user.role}`)}
              {user.hospitalName ? ` · ${user.hospitalName}` : ''}
            </Typography.Text>
          )}
          <NotificationBell />
          <LanguageSwitch dark />
          <Button onClick={() => void signOut().then(() => navigate('/sign-in'))}>{t('nav.signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="app-content">
        <Outlet />
      </Layout.Content>
      <IdleGuard />
    </Layout>
  );
}
