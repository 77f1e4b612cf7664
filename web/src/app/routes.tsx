import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Home } from '../features/auth/Home';
import { RequireSession } from '../features/auth/RequireSession';
import { SignInPage } from '../features/auth/SignInPage';

/** A screen loaded as its own chunk when first opened: the sign-in page loads only what it shows. */
function lazyScreen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): ReactNode {
  const Screen = lazy(async (): Promise<{ default: ComponentType }> => ({ default: (await load())[name] }));
  return (
    <Suspense fallback={null}>
      <Screen />
    </Suspense>
  );
}

/** The app's routes; every one but sign-in needs a session. Deep links land where they point after sign-in. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: (
      <RequireSession>{lazyScreen(() => import('../components/AppLayout'), 'AppLayout')}</RequireSession>
    ),
    children: [
      { path: '/', element: <Home /> },
      {
        path: '/worklist',
        element: lazyScreen(() => import('../features/worklist/WorklistPage'), 'WorklistPage'),
      },
      { path: '/cases', element: lazyScreen(() => import('../features/cases/CaseListPage'), 'CaseListPage') },
      {
        path: '/cases/new',
        element: lazyScreen(() => import('../features/cases/NewCasePage'), 'NewCasePage'),
      },
      { path: '/cases/:caseId', element: lazyScreen(() => import('./CaseScreen'), 'CaseScreen') },
      {
        path: '/cases/:caseId/viewer',
        element: lazyScreen(() => import('../features/viewer/ViewerPage'), 'ViewerPage'),
      },
      {
        path: '/cases/:caseId/consult',
        element: lazyScreen(() => import('../features/consult/ConsultPage'), 'ConsultPage'),
      },
      {
        path: '/quality',
        element: lazyScreen(() => import('../features/quality/QualityPage'), 'QualityPage'),
      },
      { path: '/upload', element: lazyScreen(() => import('../features/upload/UploadPage'), 'UploadPage') },
      {
        path: '/admin',
        element: lazyScreen(() => import('../features/dashboard/DashboardPage'), 'DashboardPage'),
      },
      {
        path: '/admin/hospitals',
        element: lazyScreen(() => import('../features/manage/HospitalsPage'), 'HospitalsPage'),
      },
      {
        path: '/admin/users',
        element: lazyScreen(() => import('../features/manage/UsersPage'), 'UsersPage'),
      },
      {
        path: '/admin/roster',
        element: lazyScreen(() => import('../features/manage/RosterPage'), 'RosterPage'),
      },
      {
        path: '/admin/routing',
        element: lazyScreen(() => import('../features/manage/RoutingRulesPage'), 'RoutingRulesPage'),
      },
      {
        path: '/admin/audit',
        element: lazyScreen(() => import('../features/manage/AuditPage'), 'AuditPage'),
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
