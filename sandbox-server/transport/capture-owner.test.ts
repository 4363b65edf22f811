import { describe, expect, it } from 'vitest';
import { CaptureToken } from '../../lib/protocol.ts';
import { captureTokenOwner, sealCaptureToken } from './capture-owner.ts';

const key = new Uint8Array(32).fill(7);
const owner = { url: 'http://10.0.3.7:3001', key };
const random = 'r'.repeat(22);

describe('capture tokens sealed with their server', () => {
  it('name their owner to a server with the same key, and fit the protocol', () => {
    const token = sealCaptureToken(random, owner);
    expect(token.startsWith(`${random}.`)).toBe(true);
    expect(captureTokenOwner(token, key)).toBe('http://10.0.3.7:3001');
    expect(CaptureToken.safeParse(token).success).toBe(true);
    const long = sealCaptureToken(random, { url: `https://${'a'.repeat(200)}.example:3001`, key });
    expect(CaptureToken.safeParse(long).success).toBe(true);
  });

  it('name nobody when forged, damaged, unsealed, or sealed under another key', () => {
    const token = sealCaptureToken(random, owner);
    const [, address, mac] = token.split('.');
    const elsewhere = Buffer.from('http://attacker.example').toString('base64url');
    expect(captureTokenOwner(`${random}.${elsewhere}.${mac}`, key)).toBeNull();
    expect(captureTokenOwner(`${'s'.repeat(22)}.${address}.${mac}`, key)).toBeNull();
    expect(captureTokenOwner(`${token}x`, key)).toBeNull();
    expect(captureTokenOwner(random, key)).toBeNull();
    expect(captureTokenOwner(`${token}.more`, key)).toBeNull();
    expect(captureTokenOwner(token, new Uint8Array(32).fill(8))).toBeNull();
  });

  it('never name an address that is not http(s), even with a right MAC', () => {
    const sealed = sealCaptureToken(random, { url: 'file:///etc/passwd', key });
    expect(captureTokenOwner(sealed, key)).toBeNull();
  });
});
