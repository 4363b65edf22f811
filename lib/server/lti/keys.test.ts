import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportPKCS8, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { LTI_KEY_FILE, loadToolKey, toolJwks } from './keys.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-lti-key-'));
  dirs.push(dir);
  return path.join(dir, 'data');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadToolKey', () => {
  it('makes a key once in the data dir (0600) and loads the same key after', async () => {
    const dataDir = tempDir();
    const first = await loadToolKey({ dataDir });
    expect(statSync(path.join(dataDir, LTI_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await loadToolKey({ dataDir });
    expect(again.kid).toBe(first.kid);
    expect(again.publicJwk).toEqual(first.publicJwk);
  });

  it('publishes only the public half, and what it signs verifies with it', async () => {
    const key = await loadToolKey({ dataDir: tempDir() });
    const [published] = toolJwks(key).keys;
    expect(Object.keys(published!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const jwt = await new SignJWT({ hello: 'lms' })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(key.privateKey);
    const { payload } = await jwtVerify(jwt, await importJWK(published!, 'RS256'));
    expect(payload.hello).toBe('lms');
  });

  it('uses the PEM from the environment when given, and writes no file', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const dataDir = tempDir();
    const a = await loadToolKey({ pem, dataDir });
    const b = await loadToolKey({ pem: `\n${pem}\n`, dataDir });
    expect(a.kid).toBe(b.kid);
    expect(() => statSync(path.join(dataDir, LTI_KEY_FILE))).toThrow();
  });
});
