import type { Database } from '@telemed/db';
import { verifyPassword } from '../auth/passwords.js';
import { DEFAULT_DEMO_PASSWORD } from '../config.js';
import { DEMO_ADMIN, DEMO_GATEWAY, DEMO_SPECIALISTS, DEMO_TECHNICIANS } from './demo-data.js';

/**
 * The demo's accounts that are active and still sign in with the demo's default password: a database seeded in
 * development and then served in production would let anyone who has read the README sign in as `admin`.
 */
export async function demoAccountsWithDefaultPassword(db: Database): Promise<string[]> {
  const usernames = [DEMO_ADMIN, ...DEMO_TECHNICIANS, ...DEMO_SPECIALISTS, DEMO_GATEWAY].map(
    (u) => u.username,
  );
  const exposed: string[] = [];
  for (const username of usernames) {
    const account = await db.users.findForLogin(username);
    if (account?.active && (await verifyPassword(account.passwordHash, DEFAULT_DEMO_PASSWORD)))
      exposed.push(username);
  }
  return exposed;
}
