import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('contracts in the browser', () => {
  it('bundles for the browser with no Node built-in: the web app imports the state machine and permission table', async () => {
    const result = await build({
      stdin: {
        contents: `export { CASE_TRANSITIONS, CASE_PERMISSIONS, availableCaseActions } from './index.ts';`,
        resolveDir: fileURLToPath(new URL('../src', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toContain('join_consult');
    expect(code).not.toMatch(/from ["']node:|require\(["'](node:)?(fs|path|crypto|stream|buffer)["']\)/);
  });
});
