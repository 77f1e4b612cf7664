import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import type { Case, CaseCreate, Department, Partnership } from '@telemed/contracts';
import { api } from '../../lib/api-client';
import { useHospitals } from './cases-api';

/** Where a county department's cases go first: its active partnership of lowest priority, as the api routes them. */
export interface Destination {
  hospitalName: string;
  departmentName: string;
}

/**
 * The partnered city department a department's cases are sent to: null when it has none, undefined while loading.
 */
export function useDestination(countyDepartmentId: string | null): Destination | null | undefined {
  const hospitals = useHospitals();
  const city = useQuery({
    queryKey: ['partner-department', countyDepartmentId],
    enabled: countyDepartmentId !== null,
    queryFn: async (): Promise<Department | null> => {
      const [partnerships, departments] = await Promise.all([
        api<Partnership[]>('GET', '/api/partnerships'),
        api<Department[]>('GET', '/api/departments'),
      ]);
      const department = new Map(departments.map((d) => [d.id, d]));
      const first = partnerships
        .filter(
          (p) =>
            p.active &&
            p.countyDepartmentId === countyDepartmentId &&
            department.get(p.cityDepartmentId)?.active,
        )
        .sort((x, y) => x.priority - y.priority)[0];
      return (first && department.get(first.cityDepartmentId)) ?? null;
    },
  });
  if (city.data === undefined || hospitals.data === undefined) return undefined;
  if (city.data === null) return null;
  const { name, hospitalId } = city.data;
  return { departmentName: name, hospitalName: hospitals.data.find((h) => h.id === hospitalId)?.name ?? '' };
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
