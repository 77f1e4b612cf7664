import type { Role } from '@telemed/contracts';
import { Navigate } from 'react-router';
import { useSession } from './useSession';

/** Where each role starts: administrators on the queue dashboard, everyone else on their cases. */
export function homeOf(role: Role): string {
  return role === 'admin' ? '/admin' : '/cases';
}

/** `/`: the signed-in user's start screen. */
export function Home(): React.JSX.Element {
  const session = useSession();
  return <Navigate to={session ? homeOf(session.user.role) : '/sign-in'} replace />;
}
