import { availableCaseActions, type CaseAction } from '@telemed/contracts';
import { lazy, Suspense } from 'react';
import { useSession } from '../features/auth/useSession';
import { CasePage, type ReportSlotProps } from '../features/cases/CasePage';

// the reading panel is its own chunk: the county side, who never reports, never downloads it
const ReadingPanel = lazy(async () => ({
  default: (await import('../features/reporting/ReadingPanel')).ReadingPanel,
}));
const REPORTING: readonly CaseAction[] = ['start_review', 'preliminary', 'finalize', 'addendum', 'release'];

/** The report panel, for a user the permission table lets take a reporting step on the case now. */
function ReportSlot(props: ReportSlotProps): React.JSX.Element | null {
  const user = useSession()?.user;
  const offered = user
    ? availableCaseActions(
        { userId: user.id, role: user.role, hospitalId: user.hospitalId, departmentId: user.departmentId },
        props.c,
      )
    : [];
  if (!offered.some((a) => REPORTING.includes(a))) return null;
  return (
    <Suspense fallback={null}>
      <ReadingPanel {...props} />
    </Suspense>
  );
}

/** `/cases/{id}`: the case page, with the specialist's report panel in its report section. */
export function CaseScreen(): React.JSX.Element {
  return <CasePage reportPanel={ReportSlot} />;
}
