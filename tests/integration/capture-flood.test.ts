/**
 * A program that floods its loopback cannot grow the server's memory through the capture: the
 * packet cap and the pcap byte cap each end the capture with one notice, tcpdump is stopped at
 * once, and what was kept is still a whole, valid pcap.
 */
import { describe, expect, it } from 'vitest';
import { parsePcap } from '../../lib/packets/parse-pcap.ts';
import { startCapture, type TruncationNotice } from '../../sandbox-server/capture/capture.ts';
import { processExists, py, python, succeeded, withNetns } from './capture-harness.ts';

/** Sends `count` UDP datagrams of `size` bytes to a bound socket that never reads. */
const flood = (count: number, size: number): string => py`
  import socket
  sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
  sink.bind(("127.0.0.1", 9999))
  out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
  for _ in range(${count}):
      out.sendto(b"x" * ${size}, ("127.0.0.1", 9999))
`;

describe('capture under a flood', () => {
  it('stops at the packet cap with exactly one notice and a valid, bounded pcap', async () => {
    await withNetns(async (netns) => {
      let delivered = 0;
      const notices: TruncationNotice[] = [];
      const heapBefore = process.memoryUsage().heapUsed;
      const capture = await startCapture(netns, {
        onPacket: () => (delivered += 1),
        onTruncated: (notice) => notices.push(notice),
      });
      await succeeded(python(netns, flood(100_000, 16)));
      const summary = await capture.stop();
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      console.log(
        `flood: ${delivered} packets delivered, ${summary.kernelDropped} dropped by the kernel, ` +
          `pcap ${capture.pcap().length} bytes, heap +${(heapGrowth / 2 ** 20).toFixed(1)} MiB`,
      );
      expect(delivered).toBe(10_000);
      expect(notices).toEqual([
        {
          packets: 10_000,
          limit: 'packets',
          notice: { code: 'capture-packet-limit', params: { packets: 10_000 } },
        },
      ]);
      expect(summary).toMatchObject({ packets: 10_000, truncated: 'packets', error: null });
      const kept = parsePcap(capture.pcap());
      expect(kept).toMatchObject({ error: null, leftoverBytes: 0 });
      expect(kept.packets).toHaveLength(10_000);
      expect(kept.packets.every((p) => p.proto === 'udp' && p.dport === 9999 && p.len === 16)).toBe(
        true,
      );
      expect(processExists(capture.pid)).toBe(false);
    });
  });

  it('stops at the byte cap on a whole record when packets are large', async () => {
    await withNetns(async (netns) => {
      const notices: TruncationNotice[] = [];
      const capture = await startCapture(netns, {
        onPacket: () => {},
        onTruncated: (notice) => notices.push(notice),
        maxPcapBytes: 64 * 1024,
      });
      await succeeded(python(netns, flood(2_000, 1_400)));
      const summary = await capture.stop();
      const pcap = capture.pcap();
      expect(pcap.length).toBeLessThanOrEqual(64 * 1024);
      // Each datagram is cut at the 1024-byte snapshot length: 16 + 1024 bytes per record.
      expect(summary).toMatchObject({
        truncated: 'bytes',
        packets: Math.floor((64 * 1024 - 24) / 1040),
      });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        limit: 'bytes',
        notice: { code: 'capture-byte-limit', params: { bytes: 64 * 1024 } },
      });
      const kept = parsePcap(pcap);
      expect(kept).toMatchObject({ error: null, leftoverBytes: 0 });
      expect(kept.packets.every((p) => p.len === 1_400 && p.preview === 'x'.repeat(64))).toBe(true);
      expect(processExists(capture.pid)).toBe(false);
    });
  });
});
