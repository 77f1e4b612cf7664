import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { Case, CaseCreate, Department, Hospital, Partnership } from '@telemed/contracts';
import { api } from '../../lib/api-client';

/** Where a county department's cases go first: its active partnership of lowest priority, as the api routes them. */
export interface Destination {
  hospitalName: string;
  departmentName: string;
}

/** The partnered city department a department's cases are sent to, or null when it has none. */
export function useDestination(countyDepartmentId: string | null): UseQueryResult<Destination | null> {
  return useQuery({
    queryKey: ['destination', countyDepartmentId],
    enabled: countyDepartmentId !== null,
    queryFn: async () => {
      const [partnerships, departments, hospitals] = await Promise.all([
        api<Partnership[]>('GET', '/api/partnerships'),
        api<Department[]>('GET', '/api/departments'),
        api<Hospital[]>('GET', '/api/hospitals'),
      ]);
      const department = new Map(departments.map((d) => [d.id, d]));
      const first = partnerships
        .filter(
          (p) =>
            p.active &&
            p.countyDepartmentId === countyDepartmentId &&
            department.get(p.cityDepartmentId)?.active,
        )
        .sort((a, b) => a.priority - b.priority)[0];
      const city = first ? department.get(first.cityDepartmentId) : undefined;
      if (!city) return null;
      return {
        departmentName: city.name,
        hospitalName: hospitals.find((h) => h.id === city.hospitalId)?.name ?? '',
      };
    },
  });
}

/** Opens a case, and submits it straight away when asked. */
export function useOpenCase(): UseMutationResult<Case, Error, { input: CaseCreate; submit: boolean }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ input, submit }) => {
      const created = await api<Case>('POST', '/api/cases', input);
      return submit ? api<Case>('POST', `/api/cases/${created.id}/submit`) : created;
    },
    // the list the technician returns to shows the new case at once
    onSettled: () => client.invalidateQueries({ queryKey: ['cases'] }),
  });
}
