/**
 * A run's capture downloaded from the real server (main.ts: front, jailer, tcpdump): a client and
 * a server talk, capture-ready comes after the last packet and before run-finished, and the file
 * fetched over HTTP is a pcap that tcpdump and lib/packets read, with the handshake in it. Only
 * the token's holder gets it: a wrong token, another connection and the next run all get 404.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parsePcap } from '../../lib/packets/parse-pcap.ts';
import { captureDownloadPath, type ServerMessage } from '../../lib/protocol.ts';
import { TCPDUMP } from '../../sandbox-server/capture/tcpdump-command.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { py } from './capture-harness.ts';
import { liveServerPerFile } from './live-server.ts';

type Ready = Extract<ServerMessage, { type: 'capture-ready' }>;

const SERVER = py`
  import socket
  s = socket.create_server(("127.0.0.1", 9000))
  c, _ = s.accept()
  c.sendall(c.recv(100).upper())
  c.close()
`;
const CLIENT = py`
  import socket
  s = socket.create_connection(("127.0.0.1", 9000))
  s.sendall(b"hi")
  print(s.recv(100).decode())
`;
const PAIR = [
  { name: 'server.py', content: SERVER },
  { name: 'client.py', content: CLIENT },
];

const live = liveServerPerFile();
const connect = () => live.connect();
/** The server's HTTP origin (captures are fetched from there). */
const base = (): string => live.server.url.replace(/^ws:/, 'http:').replace(/\/ws$/, '');

/** Runs the pair on `client` and returns the run's events and its capture-ready. */
async function runPair(client: ProtocolClient, runId = newRunId()) {
  client.send({ type: 'run', runId, files: PAIR });
  const events = await client.finished(runId);
  const ready = events.find((event): event is Ready & { receivedAt: number } => {
    return event.type === 'capture-ready';
  });
  const seen = events.map((event) =>
    event.type === 'run-finished' ? `run-finished(${event.reason})` : event.type,
  );
  const said = live.server
    .log()
    .split('\n')
    .filter((line) => line.includes('capture'))
    .slice(-3);
  expect(ready, `capture-ready came among ${[...new Set(seen)]} ${said.join(' | ')}`).toBeDefined();
  return { runId, events, ready: ready! };
}

/** tcpdump's reading of a pcap file given on stdin. */
function tcpdumpRead(bytes: Uint8Array): string {
  const result = spawnSync(TCPDUMP, ['-r', '-', '-nn'], { input: bytes });
  expect(result.status, result.stderr.toString()).toBe(0);
  return result.stdout.toString();
}

/**
 * UDP datagrams to itself in a tight loop for three seconds: far past the packet cap however
 * many the kernel drops while tcpdump is behind on a busy machine. The socket's port is an
 * ephemeral one, so the run does not take the program for a server and end it when it is quiet.
 */
const FLOOD = py`
  import socket, time
  s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
  s.bind(("127.0.0.1", 0))
  me = s.getsockname()
  end = time.monotonic() + 3
  while time.monotonic() < end:
      s.sendto(b"x" * 100, me)
`;

describe('downloading a run’s capture', () => {
  it('serves the run’s packets as a pcap that tcpdump and lib/packets read', async () => {
    const client = await connect();
    const { runId, events, ready } = await runPair(client);
    expect(client.output(runId, 'client.py')).toBe('HI\n');
    const types = events.map((event) => event.type);
    expect(types.at(-1)).toBe('run-finished');
    expect(types.indexOf('capture-ready')).toBeGreaterThan(types.lastIndexOf('packet'));
    const packets = events.filter((event) => event.type === 'packet');
    expect(ready).toMatchObject({ packets: packets.length, truncated: false });

    const response = await fetch(`${base()}${captureDownloadPath(runId, ready.token)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.tcpdump.pcap');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="handshake-run-${runId}.pcap"`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.length).toBe(ready.bytes);

    const parsed = parsePcap(bytes);
    expect(parsed).toMatchObject({ error: null, leftoverBytes: 0 });
    expect(parsed.packets.map((p) => [p.proto, p.sport, p.dport, p.flags])).toEqual(
      packets.map((p) => [p.proto, p.sport, p.dport, p.flags]),
    );
    const lines = tcpdumpRead(bytes).trim().split('\n');
    expect(lines).toHaveLength(packets.length);
    expect(lines[0]).toMatch(/ IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.9000: Flags \[S\],/);
    expect(lines[1]).toMatch(/ IP 127\.0\.0\.1\.9000 > 127\.0\.0\.1\.\d+: Flags \[S\.\],/);
    expect(lines[2]).toMatch(/ IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.9000: Flags \[\.\],/);
  });

  it('refuses a wrong token, another connection, and a capture its next run replaced', async () => {
    const owner = await connect();
    const { runId, ready } = await runPair(owner);
    const url = (token: string, id = runId) => `${base()}${captureDownloadPath(id, token)}`;
    expect((await fetch(url(ready.token))).status).toBe(200);
    expect((await fetch(url('A'.repeat(22)))).status).toBe(404);
    expect(
      (await fetch(url(ready.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))))).status,
    ).toBe(404);

    // Another connection, even running a run of the very same id, holds only its own token.
    const other = await connect();
    const theirs = await runPair(other, runId);
    expect(theirs.ready.token).not.toBe(ready.token);
    const [mine, yours] = await Promise.all([
      fetch(url(ready.token)),
      fetch(url(theirs.ready.token)),
    ]);
    expect([mine.status, yours.status]).toEqual([200, 200]);
    const [a, b] = await Promise.all([mine.arrayBuffer(), yours.arrayBuffer()]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);

    owner.send({
      type: 'run',
      runId: newRunId('next'),
      files: [{ name: 'x.py', content: 'pass' }],
    });
    await expect.poll(async () => (await fetch(url(ready.token))).status).toBe(404);
    const gone = await fetch(url(ready.token));
    expect(await gone.text()).toMatch(/^No such capture/);
    expect((await fetch(url(theirs.ready.token))).status).toBe(200);
  });

  it('hands a flood’s truncated capture over whole, in several pieces, still a valid pcap', async () => {
    const client = await connect();
    const runId = newRunId('flood');
    client.send({ type: 'run', runId, files: [{ name: 'flood.py', content: FLOOD }] });
    const events = await client.finished(runId);
    const ready = events.find((event) => event.type === 'capture-ready') as Ready;
    expect(ready).toMatchObject({ packets: 10_000, truncated: true });
    // 10 000 records of 142 bytes: the jailer sends it in more than one chunk.
    expect(ready.bytes).toBeGreaterThan(1024 * 1024);
    const response = await fetch(`${base()}${captureDownloadPath(runId, ready.token)}`);
    const parsed = parsePcap(new Uint8Array(await response.arrayBuffer()));
    expect(parsed).toMatchObject({ error: null, leftoverBytes: 0 });
    expect(parsed.packets).toHaveLength(10_000);
    expect(parsed.packets.every((p) => p.proto === 'udp' && p.sport === p.dport)).toBe(true);
  });
});
