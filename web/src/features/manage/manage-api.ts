import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type {
  AuditPage,
  AuditQuery,
  Department,
  Hospital,
  Partnership,
  Role,
  RosterEntry,
  RoutingRule,
  User,
} from '@telemed/contracts';
import { api, ApiError } from '../../lib/api-client';

/** Every hospital, with the time zone each keeps. */
export function useHospitals(): UseQueryResult<Hospital[]> {
  return useQuery({ queryKey: ['hospitals'], queryFn: () => api<Hospital[]>('GET', '/api/hospitals') });
}

/** Every department of every hospital. */
export function useDepartments(): UseQueryResult<Department[]> {
  return useQuery({ queryKey: ['departments'], queryFn: () => api<Department[]>('GET', '/api/departments') });
}

/** Every county → city department pairing. */
export function usePartnerships(): UseQueryResult<Partnership[]> {
  return useQuery({
    queryKey: ['partnerships'],
    queryFn: () => api<Partnership[]>('GET', '/api/partnerships'),
  });
}

/** Users, filtered by hospital and role. */
export function useUsers(filter: { hospitalId?: string; role?: Role } = {}): UseQueryResult<User[]> {
  const query = new URLSearchParams();
  if (filter.hospitalId) query.set('hospitalId', filter.hospitalId);
  if (filter.role) query.set('role', filter.role);
  return useQuery({
    queryKey: ['users', filter.hospitalId ?? '', filter.role ?? ''],
    queryFn: () => api<User[]>('GET', `/api/users?${query.toString()}`),
  });
}

/** The shifts of one department overlapping a window. */
export function useRoster(
  window: { from: string; to: string; departmentId: string } | null,
): UseQueryResult<RosterEntry[]> {
  return useQuery({
    queryKey: ['roster', window?.departmentId, window?.from, window?.to],
    enabled: window !== null,
    queryFn: () => api<RosterEntry[]>('GET', `/api/roster?${new URLSearchParams(window ?? {}).toString()}`),
  });
}

/** Every routing rule, in the order they are tried. */
export function useRoutingRules(): UseQueryResult<RoutingRule[]> {
  return useQuery({
    queryKey: ['routing-rules'],
    queryFn: () => api<RoutingRule[]>('GET', '/api/routing-rules'),
  });
}

/** One page of the audit trail; null asks nothing yet. */
export function useAuditTrail(query: AuditQuery | null): UseQueryResult<AuditPage> {
  return useQuery({
    queryKey: ['audit', query],
    enabled: query !== null,
    queryFn: () => {
      const params = new URLSearchParams(
        Object.entries(query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]),
      );
      return api<AuditPage>('GET', `/api/admin/audit?${params.toString()}`);
    },
  });
}

/** A change sent to the api. */
export interface Change {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Sends an administrator's change, then reads again the lists it touches. */
export function useChange<T = unknown>(...lists: string[]): UseMutationResult<T, Error, Change> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ method, path, body }: Change) => api<T>(method, path, body),
    onSettled: () => Promise.all(lists.map((key) => client.invalidateQueries({ queryKey: [key] }))),
  });
}

/**
 * The api's refusal in the user's language, each field at fault after it (or only `fields`, those the form does not
 * show under an input); `fallback` when the api could not be reached.
 */
export function refusalText(
  error: unknown,
  fallback: string,
  fields?: { field: string; message: string }[],
): string {
  if (!(error instanceof ApiError)) return fallback;
  const listed = (fields ?? error.fields).map(
    (f) => `${f.field.replace(/^(body|querystring)\./, '')}: ${f.message}`,
  );
  return listed.length ? `${error.message} (${listed.join('; ')})` : error.message;
}
