/**
 * The capture of a real client/server pair in a namespace: exactly the handshake, the data and
 * the teardown on the right ports; only that namespace's packets; a download that tcpdump itself
 * reads back; and nothing left running afterwards.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../lib/packets/packet.ts';
import { parsePcap } from '../../lib/packets/parse-pcap.ts';
import { stateTimelines } from '../../lib/packets/state-timeline.ts';
import { startCapture } from '../../sandbox-server/capture/capture.ts';
import { TCPDUMP } from '../../sandbox-server/capture/tcpdump-command.ts';
import {
  lineMatching,
  processExists,
  py,
  python,
  succeeded,
  withNetns,
} from './capture-harness.ts';

const SERVER = py`
  import socket, time
  with socket.create_server(("127.0.0.1", 5000)) as server:
      print("listening", flush=True)
      conn, _ = server.accept()
      with conn:
          conn.recv(100)
          conn.sendall(b"HELLO\n")
          while conn.recv(100):
              pass
          # Longer than the longest delayed ACK (200 ms), so the client's FIN is acknowledged on
          # its own before ours goes out: the teardown is four packets, never three.
          time.sleep(0.3)
`;

const CLIENT = py`
  import socket
  sock = socket.create_connection(("127.0.0.1", 5000))
  print("port", sock.getsockname()[1], flush=True)
  sock.sendall(b"hello\n")
  sock.recv(100)
  sock.close()
`;

/** Runs the server/client pair in `netns` under a capture; returns the packets and the client port. */
async function captureSession(netns: string) {
  const packets: Packet[] = [];
  const capture = await startCapture(netns, { onPacket: (packet) => packets.push(packet) });
  const server = python(netns, SERVER);
  await lineMatching(server, /listening/);
  const client = python(netns, CLIENT);
  const [, port] = await lineMatching(client, /port (\d+)/);
  await Promise.all([succeeded(client), succeeded(server)]);
  const summary = await capture.stop();
  return { packets, summary, capture, clientPort: Number(port) };
}

describe('capture of a TCP session', () => {
  it('shows exactly SYN, SYN-ACK, ACK, then the data, then FIN/ACK both ways, on the right ports', async () => {
    await withNetns(async (netns) => {
      const { packets, summary, capture, clientPort } = await captureSession(netns);
      expect(summary).toEqual({
        packets: packets.length,
        truncated: null,
        kernelDropped: 0,
        error: null,
      });
      const c = clientPort;
      const line = (p: Packet): string =>
        `${p.sport}>${p.dport} ${p.flags!.join(',')} seq=${p.seq} ack=${p.ack ?? '-'} len=${p.len} ${p.phase}`;
      const handshake = packets.slice(0, 3).map(line);
      expect(handshake).toEqual([
        `${c}>5000 SYN seq=0 ack=- len=0 handshake`,
        `5000>${c} SYN,ACK seq=0 ack=1 len=0 handshake`,
        `${c}>5000 ACK seq=1 ack=1 len=0 handshake`,
      ]);
      const firstFin = packets.findIndex((p) => p.flags?.includes('FIN'));
      const data = packets.slice(3, firstFin);
      expect(data.every((p) => p.phase === 'data')).toBe(true);
      expect(data.filter((p) => p.len > 0).map((p) => [p.sport, p.preview])).toEqual([
        [c, 'hello\\n'],
        [5000, 'HELLO\\n'],
      ]);
      expect(packets.slice(firstFin).map(line)).toEqual([
        `${c}>5000 FIN,ACK seq=7 ack=7 len=0 teardown`,
        `5000>${c} ACK seq=7 ack=8 len=0 teardown`,
        `5000>${c} FIN,ACK seq=7 ack=8 len=0 teardown`,
        `${c}>5000 ACK seq=8 ack=8 len=0 teardown`,
      ]);
      const finalStates = stateTimelines(packets).map((row) => [
        row.endpoint,
        row.changes.at(-1)!.state,
      ]);
      expect(finalStates).toEqual([
        [`127.0.0.1:${c}`, 'TIME_WAIT'],
        ['127.0.0.1:5000', 'CLOSED'],
      ]);
      expect(new Set(packets.map((p) => p.conn))).toEqual(new Set([1]));
      expect(packets.every((p) => p.src === '127.0.0.1' && p.bad === undefined)).toBe(true);
      expect(processExists(capture.pid)).toBe(false);
    });
  });

  it('keeps a download that is the same capture and that tcpdump reads back', async () => {
    await withNetns(async (netns) => {
      const { packets, capture } = await captureSession(netns);
      const pcap = capture.pcap();
      expect(parsePcap(pcap).packets).toEqual(packets);
      const text = execFileSync(TCPDUMP, ['-r', '-', '-n'], {
        input: pcap,
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      expect(text.toString().trim().split('\n')).toHaveLength(packets.length);
    });
  });

  it('sees only its own namespace, not the host’s loopback nor another namespace', async () => {
    await withNetns(async (netns) => {
      await withNetns(async (other) => {
        const packets: Packet[] = [];
        const capture = await startCapture(netns, { onPacket: (packet) => packets.push(packet) });
        const send = (port: number) => py`
          import socket
          socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", ${port}))
        `;
        execFileSync('/usr/bin/python3', ['-c', send(9)]);
        await succeeded(python(other, send(9)));
        await succeeded(python(netns, send(4242)));
        await capture.stop();
        expect(packets.filter((p) => p.proto === 'udp').map((p) => p.dport)).toEqual([4242]);
      });
    });
  });

  it('is ready within a second of starting (readiness measured over 10 starts)', async () => {
    await withNetns(async (netns) => {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const capture = await startCapture(netns, { onPacket: () => {} });
        times.push(capture.readyMs);
        expect(await capture.stop()).toMatchObject({ packets: 0, error: null });
      }
      times.sort((a, b) => a - b);
      console.log(`tcpdump ready in ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
      expect(times.at(-1)).toBeLessThan(1000);
    });
  });

  it('rejects for a namespace that does not exist and leaves nothing running', async () => {
    await expect(startCapture(`hs-${process.pid}-missing`, { onPacket: () => {} })).rejects.toThrow(
      /tcpdump could not start: exit code 1/,
    );
  });
});
