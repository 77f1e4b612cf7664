import { AppError, type FieldError, type Role } from '@telemed/contracts';
import type { Repositories } from '@telemed/db';

/**
 * Where people and pairings may be placed: the rules an administrator's changes to the organisation must keep.
 * Each throws `validation_failed` naming every field at fault; call it in the transaction that makes the change.
 */

/**
 * A technician works in a department of a county hospital, a specialist in one of a city hospital, each in a
 * department of their own hospital; an administrator belongs to none.
 */
export async function requirePlacement(
  tx: Repositories,
  role: Role,
  hospitalId: string | null,
  departmentId: string | null,
): Promise<void> {
  const errors: FieldError[] = [];
  if (role !== 'admin') {
    if (!hospitalId)
      errors.push({
        field: 'hospitalId',
        message: `a ${role} must belong to a hospital`,
        reason: 'needs_hospital',
        params: { role },
      });
    if (!departmentId)
      errors.push({
        field: 'departmentId',
        message: `a ${role} must belong to a department`,
        reason: 'needs_department',
        params: { role },
      });
  }
  if (departmentId) {
    const dept = (await tx.hospitals.departmentPlaces([departmentId])).get(departmentId);
    if (!dept)
      errors.push({ field: 'departmentId', message: 'no such department', reason: 'no_such_department' });
    else if (hospitalId && dept.hospitalId !== hospitalId) {
      errors.push({
        field: 'departmentId',
        message: 'the department belongs to another hospital',
        reason: 'department_of_other_hospital',
      });
    } else if (role === 'technician' && dept.kind !== 'county') {
      errors.push({
        field: 'departmentId',
        message: 'technicians work in county hospitals',
        reason: 'technician_in_county',
      });
    } else if (role === 'specialist' && dept.kind !== 'city') {
      errors.push({
        field: 'departmentId',
        message: 'specialists read for city hospitals',
        reason: 'specialist_in_city',
      });
    }
  }
  if (errors.length) throw new AppError('validation_failed', 'the user cannot be placed there', { errors });
}

/** 科室对科室: a partnership pairs a department of a county hospital with one of a city hospital. */
export async function requirePartnershipPairing(
  tx: Repositories,
  countyDepartmentId: string,
  cityDepartmentId: string,
): Promise<void> {
  const places = await tx.hospitals.departmentPlaces([countyDepartmentId, cityDepartmentId]);
  const errors: FieldError[] = [];
  if (places.get(countyDepartmentId)?.kind !== 'county') {
    errors.push({
      field: 'countyDepartmentId',
      message: 'must be a department of a county hospital',
      reason: 'county_department',
    });
  }
  if (places.get(cityDepartmentId)?.kind !== 'city') {
    errors.push({
      field: 'cityDepartmentId',
      message: 'must be a department of a city hospital',
      reason: 'city_department',
    });
  }
  if (errors.length)
    throw new AppError('validation_failed', 'the partnership does not pair county with city', { errors });
}

/** A routing rule as it will stand: its references and its time window. */
export interface RuleShape {
  requestingHospitalId?: string | null;
  requestingDepartmentId?: string | null;
  fromMinute?: number | null;
  toMinute?: number | null;
  targetDepartmentId?: string | null;
}

/**
 * A routing rule sends county work to a city department; its conditions name a county hospital or department that
 * exists, and a time window has both ends or none.
 */
export async function requireValidRule(tx: Repositories, rule: RuleShape): Promise<void> {
  const errors: FieldError[] = [];
  if (((rule.fromMinute ?? null) === null) !== ((rule.toMinute ?? null) === null)) {
    errors.push({
      field: 'toMinute',
      message: 'a time window needs both fromMinute and toMinute, or neither',
      reason: 'time_window_both_ends',
    });
  }
  const ids = [rule.targetDepartmentId, rule.requestingDepartmentId].filter((d): d is string => !!d);
  const places = await tx.hospitals.departmentPlaces(ids);
  if (rule.targetDepartmentId && places.get(rule.targetDepartmentId)?.kind !== 'city') {
    errors.push({
      field: 'targetDepartmentId',
      message: 'must be a department of a city hospital',
      reason: 'city_department',
    });
  }
  if (rule.requestingDepartmentId && places.get(rule.requestingDepartmentId)?.kind !== 'county') {
    errors.push({
      field: 'requestingDepartmentId',
      message: 'must be a department of a county hospital',
      reason: 'county_department',
    });
  }
  if (rule.requestingHospitalId && !(await tx.hospitals.hospitalExists(rule.requestingHospitalId))) {
    errors.push({ field: 'requestingHospitalId', message: 'no such hospital', reason: 'no_such_hospital' });
  }
  if (errors.length) throw new AppError('validation_failed', 'the routing rule is not valid', { errors });
}

/** A shift is a span of time, for an active specialist, in their own department. */
export async function requireValidShift(
  tx: Repositories,
  shift: { userId: string; departmentId: string; startsAt: string; endsAt: string },
): Promise<void> {
  if (Date.parse(shift.endsAt) <= Date.parse(shift.startsAt)) {
    throw new AppError('validation_failed', 'the shift must end after it starts', {
      errors: [
        {
          field: 'endsAt',
          message: 'must be later than startsAt',
          reason: 'later_than',
          params: { other: 'startsAt' },
        },
      ],
    });
  }
  const user = await tx.users.find(shift.userId);
  if (!user || user.role !== 'specialist' || !user.active) {
    throw new AppError('validation_failed', 'only an active specialist can be on the roster', {
      errors: [{ field: 'userId', message: 'must be an active specialist', reason: 'active_specialist' }],
    });
  }
  if (user.departmentId !== shift.departmentId) {
    throw new AppError('validation_failed', "a shift is in the specialist's own department", {
      errors: [
        {
          field: 'departmentId',
          message: "must be the specialist's department",
          reason: 'specialists_department',
        },
      ],
    });
  }
  const start = Date.parse(shift.startsAt);
  const end = Date.parse(shift.endsAt);
  // a shift may begin the moment another ends (day 08:00–20:00, then night from 20:00)
  const clash = (await tx.roster.list({ from: shift.startsAt, to: shift.endsAt, userId: shift.userId })).find(
    (s) => Date.parse(s.startsAt) < end && Date.parse(s.endsAt) > start,
  );
  if (clash) {
    throw new AppError(
      'shift_overlaps',
      `the shift overlaps one this specialist already has (${clash.startsAt} to ${clash.endsAt}): remove that one first or choose another time`,
      { params: { startsAt: clash.startsAt, endsAt: clash.endsAt } },
    );
  }
}
