import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('operations endpoints', () => {
  it('is alive and ready when Postgres and Redis answer', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'ok' }, redis: { status: 'ok' } },
    });
  });

  it('serves Prometheus metrics with request latencies by route', async () => {
    await t.login('admin');
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('telemed_api_http_request_duration_seconds_bucket');
    expect(res.body).toMatch(/route="\/api\/auth\/login"/);
    expect(res.body).toMatch(/telemed_api_logins_total\{outcome="ok"\} 1/);
  });

  it('serves OpenAPI built from the route schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json<{ paths: Record<string, unknown> }>();
    for (const path of [
      '/api/auth/login',
      '/api/cases',
      '/api/cases/{id}',
      '/api/cases/{id}/submit',
      '/api/users',
      '/api/hospitals',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
