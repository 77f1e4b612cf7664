import { AppError, type Role, type User, type UserCreate, type UserUpdate } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, iso, PG, pgCode, setClause } from '../rows.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  hospital_id: string | null;
  department_id: string | null;
  subspecialties: string[];
  is_department_head: boolean;
  active: boolean;
  failed_logins: number;
  locked_until: Date | null;
  max_open_cases: number;
}

/** What login needs to know of a user. */
export interface LoginCandidate {
  id: string;
  username: string;
  role: Role;
  passwordHash: string;
  active: boolean;
  lockedUntil: Date | null;
}

/** A user placed in a department: where they work, and whether a roster shift of that department covers a moment. */
export interface DepartmentMember extends User {
  departmentId: string;
  hospitalName: string;
  departmentName: string;
  onDuty: boolean;
}

/** A user to create, with the password already hashed. */
export type NewUser = Omit<UserCreate, 'password'> & { passwordHash: string };

/** People: technicians, specialists and admins, and their login state. */
export class UsersRepository {
  constructor(private readonly db: Queryable) {}

  /** Every user, optionally of one hospital or role. */
  async list(filter: { hospitalId?: string; role?: Role } = {}): Promise<User[]> {
    const { rows } = await this.db.query<UserRow>(
      `SELECT * FROM users WHERE ($1::uuid IS NULL OR hospital_id = $1) AND ($2::user_role IS NULL OR role = $2)
       ORDER BY role, username`,
      [filter.hospitalId ?? null, filter.role ?? null],
    );
    return rows.map(toUser);
  }

  /** One user, or a not_found error. */
  async get(id: string): Promise<User> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new AppError('not_found', `user ${id} does not exist`);
    return toUser(row);
  }

  /** The login record for a username, case-insensitively. */
  async findForLogin(username: string): Promise<LoginCandidate | null> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users WHERE lower(username) = lower($1)', [
      username,
    ]);
    const row = rows[0];
    return row
      ? {
          id: row.id,
          username: row.username,
          role: row.role,
          passwordHash: row.password_hash,
          active: row.active,
          lockedUntil: row.locked_until,
        }
      : null;
  }

  /** Counts a failed login; at `maxFailures` in a row the account locks for `lockoutMs`. Returns the lock end. */
  async recordFailedLogin(id: string, maxFailures: number, lockoutMs: number): Promise<Date | null> {
    const { rows } = await this.db.query<{ locked_until: Date | null }>(
      `UPDATE users SET
         failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3::double precision / 1000)
                             ELSE locked_until END
       WHERE id = $1 RETURNING locked_until`,
      [id, maxFailures, lockoutMs],
    );
    return rows[0]?.locked_until ?? null;
  }

  /** Clears the failure count after a good login. */
  async recordGoodLogin(id: string): Promise<void> {
    await this.db.query(
      'UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)',
      [id],
    );
  }

  /** A new user. */
  async create(input: NewUser): Promise<User> {
    try {
      const { rows } = await this.db.query<UserRow>(
        `INSERT INTO users (username, display_name, password_hash, role, hospital_id, department_id, subspecialties,
                            is_department_head, max_open_cases)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, 20)) RETURNING *`,
        [
          input.username,
          input.displayName,
          input.passwordHash,
          input.role,
          input.hospitalId ?? null,
          input.departmentId ?? null,
          input.subspecialties ?? [],
          input.isDepartmentHead ?? false,
          input.maxOpenCases ?? null,
        ],
      );
      return toUser(firstRow(rows));
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) {
        throw new AppError('username_taken', `the username ${input.username} is taken; choose another`, {
          params: { username: input.username },
        });
      }
      throw error;
    }
  }

  /** Changes a user; `passwordHash` replaces the password, `unlock` clears a lockout. */
  async update(id: string, input: Omit<UserUpdate, 'password'> & { passwordHash?: string }): Promise<User> {
    await this.get(id);
    const params: unknown[] = [id];
    const set = setClause(
      {
        display_name: input.displayName,
        password_hash: input.passwordHash,
        department_id: input.departmentId,
        subspecialties: input.subspecialties,
        is_department_head: input.isDepartmentHead,
        max_open_cases: input.maxOpenCases,
        active: input.active,
        failed_logins: input.unlock ? 0 : undefined,
        locked_until: input.unlock ? null : undefined,
      },
      params,
    );
    const { rows } = await this.db.query<UserRow>(
      `UPDATE users SET ${set} WHERE id = $1 RETURNING *`,
      params,
    );
    return toUser(firstRow(rows));
  }

  /** One user, or null. */
  async find(id: string): Promise<User | null> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    const row = rows[0];
    return row ? toUser(row) : null;
  }

  /**
   * Everyone placed in `departmentIds`, whatever their role or state (who among them may do what is the domain's
   * rule), each with whether a shift in their department covers `at`: the departments in the order given, those on
   * duty first within each, then by name.
   */
  async inDepartments(departmentIds: string[], at: Date): Promise<DepartmentMember[]> {
    const { rows } = await this.db.query<
      UserRow & { department_id: string; hospital_name: string; department_name: string; on_duty: boolean }
    >(
      `SELECT u.*, h.name AS hospital_name, d.name AS department_name,
              EXISTS (
                SELECT 1 FROM roster_entries r
                WHERE r.user_id = u.id AND r.department_id = d.id AND r.starts_at <= $2 AND r.ends_at > $2
              ) AS on_duty
       FROM unnest($1::uuid[]) WITH ORDINALITY AS wanted(department_id, place)
       JOIN departments d ON d.id = wanted.department_id
       JOIN hospitals h ON h.id = d.hospital_id
       JOIN users u ON u.department_id = d.id
       ORDER BY wanted.place, on_duty DESC, u.display_name, u.id`,
      [departmentIds, at],
    );
    return rows.map((r) => ({
      ...toUser(r),
      departmentId: r.department_id,
      hospitalName: r.hospital_name,
      departmentName: r.department_name,
      onDuty: r.on_duty,
    }));
  }

  /** Whether any user exists: an empty database gets the demo seed. */
  async any(): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM users LIMIT 1');
    return rows.length > 0;
  }
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    hospitalId: r.hospital_id,
    departmentId: r.department_id,
    subspecialties: r.subspecialties,
    isDepartmentHead: r.is_department_head,
    active: r.active,
    lockedUntil: iso(r.locked_until),
    maxOpenCases: r.max_open_cases,
  };
}
