/** What a routing round or an SLA check did, kept as its job's return value. */
export interface RoutingOutcome {
  outcome: 'assigned' | 'pool' | 'skipped' | 'reassigned' | 'escalated';
  reason: string;
  specialistId?: string;
}

/** A round that found nothing to do, and why. */
export function skipped(reason: string): RoutingOutcome {
  return { outcome: 'skipped', reason };
}
