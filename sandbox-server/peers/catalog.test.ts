import { describe, expect, it } from 'vitest';
import { peerConfig } from './catalog.ts';

describe('fault peer options', () => {
  it('default udp-relay to no fault at all', () => {
    expect(peerConfig({ peer: 'udp-relay', port: 9000, options: { target: 9001 } })).toEqual({
      peer: 'udp-relay',
      name: 'relay',
      port: 9000,
      options: {
        target: 9001,
        loss: 0,
        duplicate: 0,
        reorder: 0,
        delayMs: 0,
        jitterMs: 0,
        bandwidthBytesPerSecond: 0,
        direction: 'both',
      },
    });
  });

  it('default tcp-proxy to no fault at all, with a 5 ms gap once chunks are asked for', () => {
    expect(peerConfig({ peer: 'tcp-proxy', port: 9000, options: { target: 9001 } })).toEqual({
      peer: 'tcp-proxy',
      name: 'proxy',
      port: 9000,
      options: {
        target: 9001,
        delayMs: 0,
        jitterMs: 0,
        bandwidthBytesPerSecond: 0,
        chunkBytes: 0,
        chunkGapMs: 5,
        resetAfterBytes: 0,
        resetRate: 0,
        direction: 'both',
      },
    });
  });

  it('keep a seed the lesson fixes', () => {
    const config = peerConfig({
      peer: 'udp-relay',
      port: 9000,
      options: { target: 9001, seed: 7 },
    });
    expect(config.options.seed).toBe(7);
  });

  it.each([
    [{ peer: 'udp-relay', port: 9000 }, /options: .*expected object/],
    [{ peer: 'udp-relay', port: 9000, options: { target: 9001, loss: 1.5 } }, /options\.loss: /],
    [
      { peer: 'udp-relay', port: 9000, options: { target: 9001, direction: 'up' } },
      /options\.direction: /,
    ],
    [{ peer: 'udp-relay', port: 9000, options: { target: 9001, seed: -1 } }, /options\.seed: /],
    [{ peer: 'udp-relay', port: 9000, options: { target: 9001, lose: 0.1 } }, /options: .*lose/],
    [
      { peer: 'tcp-proxy', port: 9000, options: { target: 9001, chunkBytes: 1.5 } },
      /options\.chunkBytes: /,
    ],
    [
      { peer: 'tcp-proxy', port: 9000, options: { target: 9001, delayMs: 60_000 } },
      /options\.delayMs: /,
    ],
    [{ peer: 'tcp-proxy', port: 9000, options: { target: 80 } }, /options\.target: /],
  ] as const)('refuse %j with the option named', (spec, message) => {
    expect(() => peerConfig(spec as never)).toThrow(message);
  });
});
