import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6 } from './address.ts';

function v6(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  text.split(':').forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

describe('addresses', () => {
  it('formats IPv4 at an offset', () => {
    expect(formatIpv4(Uint8Array.from([9, 127, 0, 0, 1]), 1)).toBe('127.0.0.1');
  });

  it.each([
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['0:0:0:0:0:ffff:7f00:1', '::ffff:7f00:1'],
  ])('formats %s as %s (RFC 5952)', (full, short) => {
    expect(formatIpv6(v6(full), 0)).toBe(short);
  });
});
