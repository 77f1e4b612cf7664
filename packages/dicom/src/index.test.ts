import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from './index.js';
import * as node from './node/index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('package entries', () => {
  it('exports the core API from the browser-safe entry and the Node helpers from /node', () => {
    for (const name of [
      'parsePart10',
      'writePart10',
      'decodeText',
      'encodeText',
      'generateSeries',
      'frameBytes',
      'part10Header',
      'instanceIdentity',
      'randomUid',
      'isStorageSopClass',
    ]) {
      expect(typeof (core as Record<string, unknown>)[name]).toBe('function');
    }
    expect(core.Tag.PatientName).toBe('00100010');
    for (const name of [
      'inflateRawLimited',
      'parsePart10WithZlib',
      'writeGeneratedSeries',
      'readInstanceIdentity',
    ]) {
      expect(typeof (node as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('keeps Node built-ins out of the core, which also runs in the browser', () => {
    const core = readdirSync(here).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(core.length).toBeGreaterThan(10);
    for (const file of core) {
      const source = readFileSync(join(here, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(source, file).not.toMatch(/from ['"](node:|fs|zlib|crypto|path|buffer)['"/]/);
      expect(source, file).not.toMatch(/\bBuffer\b|\bprocess\./);
    }
  });
});
