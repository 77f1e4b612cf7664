import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'web/e2e/**/*.test.ts',
      'infra/test/*.test.ts',
    ],
    globalSetup: ['infra/test/test-services.ts'],
    reporters: ['default', './infra/test/summary-reporter.ts'],
    // Integration tests: each file makes its own database on the real server; two cores, so two at a time.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
