import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const minimal = { GATEWAY_API_USERNAME: 'county-gateway', GATEWAY_API_PASSWORD: 'secret' };

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env, '/srv/telemed');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('gateway configuration', () => {
  it('fills defaults, converts numbers and resolves the spool against the working directory', () => {
    const config = loadConfig({ ...minimal, GATEWAY_DIMSE_PORT: '4242' }, '/srv/telemed');
    expect(config.GATEWAY_DIMSE_PORT).toBe(4242);
    expect(config.GATEWAY_HOST).toBe('127.0.0.1');
    expect(config.GATEWAY_AE_TITLE).toBe('TELEMED');
    expect(config.GATEWAY_SPOOL_DIR).toBe('/srv/telemed/.data/gateway-spool');
    expect(config.GATEWAY_BATCH_MAX_BYTES).toBe(64 * 1024 * 1024);
    expect(config.GATEWAY_RETRY_MIN_MS).toBe(1000);
    expect(config.GATEWAY_RETRY_MAX_MS).toBe(300_000);
    expect(config.GATEWAY_KEEP_SENT_HOURS).toBe(0);
    expect(config.GATEWAY_DEIDENTIFY).toBe('none');
    expect(config.GATEWAY_ALLOWED_CALLING_AES).toEqual([]);
  });

  it('reads the allowed calling AE titles as a list', () => {
    const config = loadConfig({ ...minimal, GATEWAY_ALLOWED_CALLING_AES: ' CT01, MR_3T ,' });
    expect(config.GATEWAY_ALLOWED_CALLING_AES).toEqual(['CT01', 'MR_3T']);
  });

  it('names every bad variable in one error', () => {
    const text = problemsOf({
      GATEWAY_DIMSE_PORT: 'eleven',
      GATEWAY_AE_TITLE: 'A_TITLE_FAR_TOO_LONG_FOR_DICOM',
      GATEWAY_API_URL: 'ftp://api',
      GATEWAY_ALLOWED_CALLING_AES: 'OK,THIS_ONE_IS_WAY_TOO_LONG',
      GATEWAY_RETRY_MIN_MS: '5000',
      GATEWAY_RETRY_MAX_MS: '1000',
    });
    for (const name of [
      'GATEWAY_DIMSE_PORT',
      'GATEWAY_AE_TITLE',
      'GATEWAY_API_URL',
      'GATEWAY_API_USERNAME',
      'GATEWAY_API_PASSWORD',
      'GATEWAY_ALLOWED_CALLING_AES',
      'GATEWAY_RETRY_MAX_MS',
    ])
      expect(text).toContain(name);
  });

  it("reads 'basic' de-identification with its key and the Retain UIDs option", () => {
    const config = loadConfig({
      ...minimal,
      GATEWAY_DEIDENTIFY: 'basic',
      GATEWAY_DEIDENTIFY_KEY: 'a-county-site-secret',
      GATEWAY_DEIDENTIFY_RETAIN_UIDS: 'true',
    });
    expect(config.GATEWAY_DEIDENTIFY).toBe('basic');
    expect(config.GATEWAY_DEIDENTIFY_KEY).toBe('a-county-site-secret');
    expect(config.GATEWAY_DEIDENTIFY_RETAIN_UIDS).toBe(true);
    expect(loadConfig(minimal).GATEWAY_DEIDENTIFY_RETAIN_UIDS).toBe(false);
  });

  it("refuses unknown de-identification modes, and 'basic' without a key long enough to keep secret", () => {
    expect(problemsOf({ ...minimal, GATEWAY_DEIDENTIFY: 'full' })).toContain('GATEWAY_DEIDENTIFY:');
    expect(problemsOf({ ...minimal, GATEWAY_DEIDENTIFY: 'basic' })).toMatch(
      /GATEWAY_DEIDENTIFY_KEY: required/,
    );
    const text = problemsOf({
      ...minimal,
      GATEWAY_DEIDENTIFY: 'basic',
      GATEWAY_DEIDENTIFY_KEY: 'short',
      GATEWAY_DEIDENTIFY_RETAIN_UIDS: 'maybe',
    });
    expect(text).toContain('GATEWAY_DEIDENTIFY_KEY');
    expect(text).toContain('GATEWAY_DEIDENTIFY_RETAIN_UIDS');
    expect(text).not.toContain('short');
  });

  describe('in production', () => {
    const production = {
      NODE_ENV: 'production',
      GATEWAY_API_USERNAME: 'qingchuan-gateway',
      GATEWAY_API_PASSWORD: 'Vt7#qLz2!mW9rXp4',
    };

    it('starts with a strong password, listening on loopback or for named modalities only', () => {
      expect(loadConfig(production).NODE_ENV).toBe('production');
      const lan = { ...production, GATEWAY_HOST: '0.0.0.0', GATEWAY_ALLOWED_CALLING_AES: 'CT01,MR_3T' };
      expect(loadConfig(lan).GATEWAY_ALLOWED_CALLING_AES).toEqual(['CT01', 'MR_3T']);
    });

    it("refuses the demo's password, or a weak one, for the api account", () => {
      expect(problemsOf({ ...production, GATEWAY_API_PASSWORD: 'demo12345' })).toBe(
        'GATEWAY_API_PASSWORD: is a known default, which NODE_ENV=production refuses: set it to at least 12 random characters (openssl rand -base64 48)',
      );
      expect(problemsOf({ ...production, GATEWAY_API_PASSWORD: 'short-pw' })).toContain(
        'GATEWAY_API_PASSWORD: is shorter than 12 characters',
      );
    });

    it('refuses a placeholder de-identification key', () => {
      const text = problemsOf({
        ...production,
        GATEWAY_DEIDENTIFY: 'basic',
        GATEWAY_DEIDENTIFY_KEY: '0000000000000000',
      });
      expect(text).toContain('GATEWAY_DEIDENTIFY_KEY: repeats too few characters to be secret');
      expect(text).not.toContain('0000000000000000');
    });

    it('refuses a DIMSE port open to the network that takes any calling AE title', () => {
      expect(problemsOf({ ...production, GATEWAY_HOST: '0.0.0.0' })).toBe(
        "GATEWAY_ALLOWED_CALLING_AES: is empty while GATEWAY_HOST (0.0.0.0) is reachable from the network, so any DICOM sender could store into the archive, which NODE_ENV=production refuses: list the modalities' calling AE titles, comma-separated",
      );
    });
  });
});
