import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deriveSecrets,
  ensureSecretFile,
  loadSecrets,
  sameSecret,
  SECRET_FILE,
  SecretError,
} from './secrets.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-secrets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('shared secrets', () => {
  it('makes the data dir (0700) and a 0600 secret on first start, then reuses it', () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = ensureSecretFile(dataDir);
    expect(first.length).toBeGreaterThanOrEqual(43);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(ensureSecretFile(dataDir)).toBe(first);
    expect(loadSecrets({ dataDir })).toEqual(deriveSecrets(first));
  });

  it('gives both processes the same keys when they start at once', async () => {
    const dataDir = tempDir();
    const script = `import { ensureSecretFile } from ${JSON.stringify(path.resolve('lib/server/secrets.ts'))};
process.stdout.write(ensureSecretFile(${JSON.stringify(dataDir)}));`;
    const { execFile } = await import('node:child_process');
    const run = () =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        ),
      );
    const secrets = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(secrets).size).toBe(1);
    expect(readFileSync(path.join(dataDir, SECRET_FILE), 'utf8').trim()).toBe(secrets[0]);
  });

  it('prefers HANDSHAKE_SECRET and derives distinct keys for each use', () => {
    const dataDir = path.join(tempDir(), 'never-made');
    const secrets = loadSecrets({ secret: 's'.repeat(32), dataDir });
    expect(secrets).toEqual(deriveSecrets('s'.repeat(32)));
    const keys = [Buffer.from(secrets.runTokenKey).toString('base64url'), secrets.internalSecret];
    expect(new Set([...keys, secrets.authSecret]).size).toBe(3);
    expect(() => statSync(dataDir)).toThrow();
    expect(deriveSecrets('t'.repeat(32)).internalSecret).not.toBe(secrets.internalSecret);
  });

  it('refuses a short master secret and a secret file others can read', () => {
    expect(() => deriveSecrets('short')).toThrow(SecretError);
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, SECRET_FILE), 'x'.repeat(40));
    chmodSync(path.join(dataDir, SECRET_FILE), 0o644);
    expect(() => loadSecrets({ dataDir })).toThrow(/chmod 600/);
  });

  it('compares secrets in constant time and only equal ones match', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret(null, 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});
