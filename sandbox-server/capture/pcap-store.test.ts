import { describe, expect, it } from 'vitest';
import { PcapStore } from './pcap-store.ts';

const filled = (length: number, value: number): Uint8Array => new Uint8Array(length).fill(value);

describe('PcapStore', () => {
  it('returns what it kept, in order, across block boundaries', () => {
    const store = new PcapStore(1024 * 1024);
    const parts = [filled(24, 1), filled(200_000, 2), filled(100_000, 3), filled(5, 4)];
    for (const part of parts) expect(store.add(part)).toBe(true);
    expect(store.size).toBe(300_029);
    expect(Buffer.from(store.bytes()).equals(Buffer.concat(parts))).toBe(true);
  });

  it('refuses a record past the budget whole, never a part of it', () => {
    const store = new PcapStore(100);
    expect(store.add(filled(60, 1))).toBe(true);
    expect(store.add(filled(41, 2))).toBe(false);
    expect(store.add(filled(40, 3))).toBe(true);
    expect(store.size).toBe(100);
    expect([...store.bytes()].filter((byte) => byte === 2)).toHaveLength(0);
  });

  it('is an empty file before anything is kept', () => {
    expect(new PcapStore(10).bytes()).toHaveLength(0);
  });
});
