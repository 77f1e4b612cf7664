import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../features/auth/RequireSession';
import { SignInPage } from '../features/auth/SignInPage';

// Each screen past sign-in is its own chunk: the sign-in page loads only what it shows.
const AppLayout = lazy(() => import('../components/AppLayout').then((m) => ({ default: m.AppLayout })));
const CaseListPage = lazy(() =>
  import('../features/cases/CaseListPage').then((m) => ({ default: m.CaseListPage })),
);
const NewCasePage = lazy(() =>
  import('../features/cases/NewCasePage').then((m) => ({ default: m.NewCasePage })),
);

const screen = (node: ReactNode): ReactNode => <Suspense fallback={null}>{node}</Suspense>;

/** The app's routes; every one but sign-in needs a session. Deep links land where they point after sign-in. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <RequireSession>{screen(<AppLayout />)}</RequireSession>,
    children: [
      { path: '/', element: <Navigate to="/cases" replace /> },
      { path: '/cases', element: screen(<CaseListPage />) },
      { path: '/cases/new', element: screen(<NewCasePage />) },
      { path: '*', element: <Navigate to="/cases" replace /> },
    ],
  },
]);
