import type { Role } from '@telemed/contracts';
import { Navigate } from 'react-router';
import { useSession } from './useSession';

/** Where each role starts: administrators on the queue dashboard, specialists on their worklist, technicians on their cases. */
export function homeOf(role: Role): string {
  if (role === 'admin') return '/admin';
  // by role rather than the permission table ('worklist.read'): the sign-in chunk stays free of the schemas
  return role === 'specialist' ? '/worklist' : '/cases';
}

/** `/`: the signed-in user's start screen. */
export function Home(): React.JSX.Element {
  const session = useSession();
  return <Navigate to={session ? homeOf(session.user.role) : '/sign-in'} replace />;
}
