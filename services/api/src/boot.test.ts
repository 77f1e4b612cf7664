import { randomBytes } from 'node:crypto';
import {
  createDatabase,
  createPool,
  createTestDatabase,
  TEST_ADMIN_URL,
  type Database,
  type TestDatabase,
} from '@telemed/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/passwords.js';
import { prepareDatabase } from './boot.js';
import { loadConfig, type Config } from './config.js';
import { seedDemo } from './seed/demo-seed.js';

let database: TestDatabase;
let db: Database;
let production: Config;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  database = await createTestDatabase(TEST_ADMIN_URL);
  db = createDatabase(createPool({ connectionString: database.url, max: 2 }));
  production = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    REDIS_URL: 'redis://127.0.0.1:6379',
    JWT_SECRET: randomBytes(32).toString('base64'),
  });
});
afterAll(async () => {
  await db.pool.end();
  await database.drop();
});

describe('a production start on a database seeded with the demo', { timeout: 60_000 }, () => {
  it('is refused while demo accounts sign in with the demo password, and allowed once none does', async () => {
    await seedDemo(db, 'demo12345');
    // an administrator already gave some accounts their own password
    const users = await db.users.list();
    const kept = users.filter((u) => !['admin', 'liming'].includes(u.username));
    for (const user of kept.slice(2))
      await db.users.update(user.id, { passwordHash: await hashPassword(randomBytes(12).toString('hex')) });
    const exposed = kept.slice(0, 2).map((u) => u.username);

    const refusal = await prepareDatabase(production, log).then(
      () => '',
      (error: unknown) => (error as Error).message,
    );
    expect(refusal).toMatch(
      /^the database holds demo accounts that sign in with the demo password \(.+\), which NODE_ENV=production refuses: /,
    );
    const named = /\((.+?)\)/.exec(refusal)?.[1]?.split(', ') ?? [];
    expect(named.sort()).toEqual(['admin', 'liming', ...exposed].sort());

    for (const user of users.filter((u) => u.username === 'admin' || exposed.includes(u.username)))
      await db.users.update(user.id, { passwordHash: await hashPassword(randomBytes(12).toString('hex')) });
    const liming = users.find((u) => u.username === 'liming');
    await db.users.update(liming?.id ?? '', { active: false });
    await expect(prepareDatabase(production, log)).resolves.toBeUndefined();
  });
});
