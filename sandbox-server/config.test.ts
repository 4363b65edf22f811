import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_OPTIONS,
  ConfigError,
  loadConfig,
  loadDatabaseConfig,
  renderEnvExample,
} from './config.ts';
import { hostInstance } from './instance-id.ts';
import { DEFAULT_LIMITS, LIMIT_BOUNDS } from './limits.ts';

describe('config table', () => {
  it('declares every variable once, all named HANDSHAKE_*', () => {
    const names = CONFIG_OPTIONS.map((option) => option.env);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^HANDSHAKE_[A-Z0-9_]+$/);
  });

  it('agrees with .env.example (regenerate: node sandbox-server/config.ts > .env.example)', () => {
    expect(readFileSync(new URL('../.env.example', import.meta.url), 'utf8')).toBe(
      renderEnvExample(),
    );
  });

  it('has defaults that pass its own validators', () => {
    expect(() => loadConfig({})).not.toThrow();
  });
});

describe('loadConfig', () => {
  it('gives the documented defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3001,
      allowedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
      maxMessageBytes: 256 * 1024,
      sandboxUrl: undefined,
    });
    expect(config.slots).toBeGreaterThanOrEqual(1);
    expect(config.limits).toEqual({
      defaults: DEFAULT_LIMITS,
      min: LIMIT_BOUNDS.min,
      max: LIMIT_BOUNDS.max,
    });
  });

  it('reads values in the units the variable names say', () => {
    const config = loadConfig({
      HANDSHAKE_MEMORY_MIB: '128',
      HANDSHAKE_OUTPUT_KIB: '64',
      HANDSHAKE_WALL_SECONDS: '2.5',
      HANDSHAKE_ALLOWED_ORIGINS: ' https://learn.example.org/ , http://10.0.0.5:3000',
      HANDSHAKE_TRUST_PROXY: 'yes',
    });
    expect(config.limits.defaults).toMatchObject({
      memoryBytes: 128 * 1024 * 1024,
      outputBytes: 64 * 1024,
      wallSeconds: 2.5,
    });
    expect(config.allowedOrigins).toEqual(['https://learn.example.org', 'http://10.0.0.5:3000']);
    expect(config.trustProxy).toBe(true);
  });

  it("names the server's sandboxes after its host name, and takes an instance id and uid base", () => {
    const config = loadConfig({});
    expect(config.instance).toBe(hostInstance());
    expect(config.uidBase).toBe(61000);
    expect(loadConfig({ HANDSHAKE_INSTANCE: 'pod2', HANDSHAKE_UID_BASE: '63000' })).toMatchObject({
      instance: 'pod2',
      uidBase: 63000,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ HANDSHAKE_SANDBOX_PORT: '' }).port).toBe(3001);
  });

  it.each([
    ['HANDSHAKE_SANDBOX_PORT', '70000', /at most 65535/],
    ['HANDSHAKE_SANDBOX_PORT', 'abc', /whole number/],
    ['HANDSHAKE_SLOTS', '0', /at least 1/],
    ['HANDSHAKE_ALLOWED_ORIGINS', 'localhost:3000', /origin/],
    ['HANDSHAKE_MAX_MESSAGE_BYTES', '10000000', /at most 262144/],
    ['HANDSHAKE_TRUST_PROXY', 'maybe', /true or false/],
    ['HANDSHAKE_SANDBOX_URL', 'http://x/ws', /ws:\/\//],
    ['HANDSHAKE_SANDBOX_SERVERS', 'wss://a/ws ftp://b', /polling URL must be http/],
    ['HANDSHAKE_INSTANCE', 'Pod-1', /lowercase letters or digits, a letter first/],
    ['HANDSHAKE_INSTANCE', '7', /a letter first/],
    ['HANDSHAKE_INSTANCE', 'p4242', /kept for hosts given no id/],
    ['HANDSHAKE_UID_BASE', '500', /at least 10000/],
  ])('refuses %s=%s with a message naming it', (name, value, why) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^${name}=`));
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses a default limit outside its own bounds', () => {
    expect(() => loadConfig({ HANDSHAKE_PIDS: '500' })).toThrow(
      /HANDSHAKE_PIDS=500 must lie within HANDSHAKE_PIDS_MIN=8 and HANDSHAKE_PIDS_MAX=256/,
    );
  });

  it('lists every bad variable, one per line', () => {
    expect(() => loadConfig({ HANDSHAKE_SLOTS: 'x', HANDSHAKE_QUEUE_MAX: '-1' })).toThrow(
      /HANDSHAKE_SLOTS.*\nHANDSHAKE_QUEUE_MAX/,
    );
  });
});

describe('loadDatabaseConfig', () => {
  it('defaults to SQLite in ./data and accepts a postgres:// URL', () => {
    expect(loadDatabaseConfig({})).toEqual({
      databaseUrl: undefined,
      dataDir: path.resolve('data'),
    });
    expect(
      loadDatabaseConfig({
        HANDSHAKE_DATABASE_URL: 'postgres://u:p@db:5432/hs',
        HANDSHAKE_DATA_DIR: '/srv/hs',
      }),
    ).toEqual({ databaseUrl: 'postgres://u:p@db:5432/hs', dataDir: '/srv/hs' });
  });

  it('refuses a database URL of another kind, naming the variable', () => {
    expect(() => loadDatabaseConfig({ HANDSHAKE_DATABASE_URL: 'mysql://db/hs' })).toThrow(
      /HANDSHAKE_DATABASE_URL="mysql:\/\/db\/hs" is invalid/,
    );
  });
});
