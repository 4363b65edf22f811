/**
 * Packet capture wired into real runs: the exact handshake, data and teardown of a client and a
 * server, labelled with the processes that own the ports (learner files and a peer), the same
 * packets in the record the checks see, capture off, a bounded flood, and the CLI's NDJSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LessonDefinition, RecordedPacket, RunRecord } from '../../lib/lessons/define.ts';
import { ServerMessage, type RunEvent } from '../../lib/protocol.ts';
import { DEFAULT_LIMITS } from '../../sandbox-server/limits.ts';
import type { CaptureSettings } from '../../sandbox-server/run/run-capture.ts';
import type { SandboxInfo } from '../../sandbox-server/run/start-run.ts';
import { expectNothingLeft, testHost } from './sandbox-harness.ts';

testHost.configure({ readyNetns: 0 });

const ROOT = path.join(import.meta.dirname, '..', '..');

/** A ping and its pong over UDP: exactly two packets on one flow. */
const PING = `
import socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.bind(('127.0.0.1', 7000))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.sendto(b'ping', ('127.0.0.1', 7000))
data, peer = a.recvfrom(100)
a.sendto(b'pong', peer)
print(b.recvfrom(100)[0].decode())
`;

const SERVER = `
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 9000))
s.listen()
c, _ = s.accept()
c.sendall(c.recv(100).upper())
while c.recv(100):
    pass
c.close()
`;

const CLIENT = `
import socket
s = socket.create_connection(('127.0.0.1', 9000))
s.sendall(b'hi')
print(s.recv(100).decode())
s.close()
`;

interface CaptureRun {
  events: RunEvent[];
  packets: Array<Extract<RunEvent, { type: 'packet' }>>;
  record: RunRecord;
  info: SandboxInfo;
}

let counter = 0;

async function run(
  files: Record<string, string>,
  capture?: CaptureSettings,
  lesson?: LessonDefinition,
): Promise<CaptureRun> {
  counter += 1;
  const events: RunEvent[] = [];
  let info: SandboxInfo | null = null;
  const box: { sandbox?: () => SandboxInfo | null } = {};
  const handle = testHost.startRun(
    {
      runId: `capture-${process.pid}-${counter}`,
      files: Object.entries(files).map(([name, content]) => ({ name, content })),
      lesson,
      lang: 'en',
      limits: DEFAULT_LIMITS,
      capture,
    },
    (event) => {
      expect(ServerMessage.safeParse(event).success, `${event.type} matches the protocol`).toBe(
        true,
      );
      events.push(event);
      info ??= box.sandbox?.() ?? null;
    },
  );
  box.sandbox = handle.sandbox;
  const record = await handle.done;
  const packets = events.filter(
    (event): event is Extract<RunEvent, { type: 'packet' }> => event.type === 'packet',
  );
  return { events, packets, record, info: info! };
}

/** "SYN client.py>server.py" per packet. */
function line(packet: RecordedPacket): string {
  return `${(packet.flags ?? []).join('-')} ${packet.srcOwner ?? '?'}>${packet.dstOwner ?? '?'}`;
}

describe('capture in a run', () => {
  it('shows the exact handshake, data and teardown between client.py and server.py', async () => {
    const result = await run({ 'server.py': SERVER, 'client.py': CLIENT });
    expect(result.record.processes['client.py']!.stdout).toBe('HI\n');
    const lines = result.packets.map(line);
    expect(lines.slice(0, 3)).toEqual([
      'SYN client.py>server.py',
      'SYN-ACK server.py>client.py',
      'ACK client.py>server.py',
    ]);
    const data = result.packets.filter((packet) => packet.len > 0);
    expect(data.map((packet) => [packet.preview, line(packet)])).toEqual([
      ['hi', 'PSH-ACK client.py>server.py'],
      ['HI', 'PSH-ACK server.py>client.py'],
    ]);
    // The client closes first; the server's ACK of that FIN may ride on its own FIN.
    const teardown = result.packets.filter((packet) => packet.phase === 'teardown').map(line);
    expect([
      ['FIN-ACK client.py>server.py', 'FIN-ACK server.py>client.py', 'ACK client.py>server.py'],
      [
        'FIN-ACK client.py>server.py',
        'ACK server.py>client.py',
        'FIN-ACK server.py>client.py',
        'ACK client.py>server.py',
      ],
    ]).toContainEqual(teardown);
    expect(new Set(result.packets.map((packet) => packet.conn))).toEqual(new Set([1]));
    expect(result.packets[0]!.t).toBeGreaterThan(0);
    // The checks see the same packets, owners included.
    expect(result.record.packets?.map(line)).toEqual(lines);
    expectNothingLeft(result.info);
  });

  it("names a peer's end: the lesson's tcp-client against the learner's server.py", async () => {
    const lesson = {
      processes: [
        { file: 'server.py' },
        { peer: 'tcp-client', name: 'client', port: 9000, options: { lines: ['hi'] } },
      ],
    } as LessonDefinition;
    const result = await run({ 'server.py': SERVER }, undefined, lesson);
    expect(result.packets.slice(0, 3).map(line)).toEqual([
      'SYN peer:client>server.py',
      'SYN-ACK server.py>peer:client',
      'ACK peer:client>server.py',
    ]);
    expect(result.packets.every((packet) => packet.srcOwner && packet.dstOwner)).toBe(true);
  });

  it('runs without packets when capture is off', async () => {
    const result = await run({ 'server.py': SERVER, 'client.py': CLIENT }, { enabled: false });
    expect(result.record.processes['client.py']!.stdout).toBe('HI\n');
    expect(result.packets).toEqual([]);
    expect(result.record.packets).toBeUndefined();
    expectNothingLeft(result.info);
  });

  it('stays bounded under a flood: the cap, one notice, a bounded record', async () => {
    const flood = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5000):
    s.sendto(b'x' * 100, ('127.0.0.1', 9999))
print('done')
`;
    const result = await run({ 'flood.py': flood }, { enabled: true, maxPackets: 300 });
    expect(result.record.processes['flood.py']!.stdout).toBe('done\n');
    expect(result.packets).toHaveLength(300);
    const notices = result.events.filter((event) => event.type === 'capture-truncated');
    expect(notices).toEqual([expect.objectContaining({ packets: 300, limit: 'packets' })]);
    expect(result.record.packets!.length).toBeLessThanOrEqual(300);
    expectNothingLeft(result.info);
  });
});

describe('capture in the CLI', () => {
  it('prints packet events with --json and none with --no-capture', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handshake-capture-'));
    const cli = (...args: string[]): Promise<string> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [
          path.join(ROOT, 'sandbox-server', 'cli', 'main.ts'),
          'run',
          ...args,
        ]);
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk));
        child.on('close', () => resolve(out));
      });
    const script = path.join(dir, 'ping.py');
    writeFileSync(script, PING);
    const json = await cli('--json', script);
    const types = json
      .trim()
      .split('\n')
      .map((text) => (JSON.parse(text) as RunEvent).type);
    expect(types.filter((type) => type === 'packet')).toHaveLength(2);
    const text = await cli(script);
    expect(text).toContain('capture: 2 packets (1 connection)');
    const off = await cli('--json', '--no-capture', script);
    expect(off).toContain('"run-finished"');
    expect(off).not.toContain('"packet"');
    rmSync(dir, { recursive: true });
  });
});
