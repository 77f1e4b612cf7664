import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '4' });
});
afterAll(async () => {
  await t.close();
});

describe('sign-in rate limit', () => {
  it('slows down a client guessing across many accounts, whatever the usernames', async () => {
    const statuses: number[] = [];
    for (const username of ['a-user', 'b-user', 'c-user', 'd-user', 'e-user', 'wangjianguo']) {
      statuses.push((await t.loginFull(username, 'guess-1234')).statusCode);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    const res = await t.loginFull('wangjianguo');
    expect(res.statusCode).toBe(429);
    expect(res.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'rate_limited',
      reason: 'too_many_requests',
      params: { seconds: expect.any(Number) as number },
    });
    expect(res.json<{ detail: string }>().detail).toMatch(/try again in \d+ s/);
  });
});
