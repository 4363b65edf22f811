/**
 * The headless CLI as instructors and CI call it: `node sandbox-server/cli/main.ts run …`,
 * checked by its output, its NDJSON and its exit status.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePcap } from '../../lib/packets/parse-pcap.ts';
import { ServerMessage } from '../../lib/protocol.ts';
import { TCPDUMP } from '../../sandbox-server/capture/tcpdump-command.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'sandbox-server', 'cli', 'main.ts');
let dir: string;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function file(name: string, content: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'handshake-cli-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli run', () => {
  it('runs a client against a peer, prefixing every line with its process, and exits 0', async () => {
    const client = file(
      'client.py',
      'import socket\ns = socket.create_connection(("127.0.0.1", 8080))\ns.sendall(b"hi")\nprint(s.recv(10).decode())\n',
    );
    const result = await cli('run', '--peer', 'tcp-echo:8080', client);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('client.py     | hi\n');
    expect(result.stdout).toContain('peer:tcp-echo | echo: received "hi" (2 bytes), echoing\n');
    expect(result.stdout).toMatch(/^client\.py: exited with code 0 after [\d.]+ s$/m);
    expect(result.stdout).toMatch(
      /^peer:tcp-echo: stopped at the end of the run \(still serving\)/m,
    );
  });

  it('exits non-zero when a learner process fails, with its traceback on stderr', async () => {
    const result = await cli('run', file('boom.py', 'print("before")\n1/0\n'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('boom.py | before\n');
    expect(result.stderr).toContain('boom.py | ZeroDivisionError: division by zero');
    expect(result.stdout).toContain('boom.py: exited with code 1');
  });

  it('gives stdin text (\\n as newline) and then EOF', async () => {
    const ask = file('ask.py', 'import sys\nprint("got", input(), repr(sys.stdin.read()))\n');
    const result = await cli('run', '--stdin', 'ask.py=Ada\\nrest', ask);
    expect(result.stdout).toContain("ask.py | got Ada 'rest'\n");
    expect(result.code).toBe(0);
  });

  it('prints every protocol event as one JSON line with --json', async () => {
    const result = await cli('run', '--json', file('hello.py', 'print("hello")\n'));
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    for (const event of events) expect(ServerMessage.safeParse(event).success).toBe(true);
    // A line may come as several output events under load; their order is what matters.
    const types = events.map((event) => (event as { type: string }).type);
    const printed = events.flatMap((event) =>
      (event as { type: string }).type === 'output' ? [(event as { data: string }).data] : [],
    );
    expect(printed.join('')).toBe('hello\n');
    expect(types.filter((type, i) => type !== 'output' || types[i - 1] !== 'output')).toEqual([
      'run-started',
      'process-started',
      'output',
      'process-exited',
      'run-finished',
    ]);
    expect(result.code).toBe(0);
  });

  it('writes the run’s capture with --pcap, a file tcpdump and lib/packets read', async () => {
    const client = file(
      'pcap-client.py',
      'import socket\ns = socket.create_connection(("127.0.0.1", 8080))\ns.sendall(b"hi")\nprint(s.recv(10).decode())\n',
    );
    const out = path.join(dir, 'echo.pcap');
    const result = await cli('run', '--pcap', out, '--peer', 'tcp-echo:8080', client);
    expect(result.code).toBe(0);
    const count = Number(/^capture: (\d+) packets/m.exec(result.stdout)?.[1]);
    expect(result.stderr).toContain(`pcap: ${count} packets (`);
    expect(result.stderr).toContain(`) written to ${out}\n`);
    const bytes = new Uint8Array(readFileSync(out));
    const parsed = parsePcap(bytes);
    expect(parsed).toMatchObject({ error: null, leftoverBytes: 0 });
    expect(parsed.packets).toHaveLength(count);
    const read = spawnSync(TCPDUMP, ['-r', out, '-nn'], { encoding: 'utf8' });
    expect(read.status, read.stderr).toBe(0);
    const lines = read.stdout.trim().split('\n');
    expect(lines).toHaveLength(count);
    expect(lines.slice(0, 3).map((line) => /Flags \[([^\]]+)\]/.exec(line)?.[1])).toEqual([
      'S',
      'S.',
      '.',
    ]);
    expect(lines[0]).toMatch(/ > 127\.0\.0\.1\.8080: /);
  });

  it('refuses a --pcap file it cannot write before running anything', async () => {
    const result = await cli(
      'run',
      '--pcap',
      '/nonexistent/dir/x.pcap',
      file('p.py', 'print(1)\n'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --pcap /nonexistent/dir/x.pcap: ENOENT\n');
    expect(result.stdout).toBe('');
  });

  it('stops at --timeout, says so and what the program was blocked in, and exits non-zero', async () => {
    const result = await cli(
      'run',
      '--timeout',
      '2',
      file('sleepy.py', 'import time\ntime.sleep(30)\n'),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^sleepy\.py: killed .*\n {2}blocked in sleep \((clock_)?nanosleep\)$/m,
    );
    expect(result.stdout).toContain('run: Time limit of 2 s reached: the run was stopped.\n');
  });

  it('tells in --json what a program killed at --timeout was blocked in', async () => {
    const client = file(
      'waiting.py',
      'import socket\ns = socket.create_connection(("127.0.0.1", 8080))\nprint(s.recv(10))\n',
    );
    const result = await cli('run', '--json', '--timeout', '2', '--peer', 'tcp-echo:8080', client);
    const exited = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string })
      .find((event) => event.type === 'process-exited' && 'blocked' in event);
    expect(ServerMessage.safeParse(exited).success).toBe(true);
    expect(exited).toMatchObject({
      process: 'waiting.py',
      end: 'killed',
      blocked: [
        {
          call: 'recv',
          syscall: 'recvfrom',
          socket: { proto: 'tcp', remote: '127.0.0.1:8080', state: 'ESTABLISHED' },
        },
      ],
    });
  });

  it("runs a lesson's solution with its peers and checks", async () => {
    const result = await cli('run', '--lesson', 'tcp-server', '--solution');
    expect(result.stdout).toMatch(/^peer:.* \| /m);
    expect(result.stdout).toMatch(/^✓ /m);
    expect(result.stdout).not.toMatch(/^[✗!] /m);
    expect(result.code).toBe(0);
  });
});

describe('cli errors', () => {
  it.each([
    [['run'], 'error: no files to run (give FILE... or --lesson SLUG)'],
    [
      ['run', '--peer', 'ftp', 'x.py'],
      'error: --peer ftp: expected NAME[:PORT][,KEY=VALUE...] with NAME one of',
    ],
    [['run', '/nonexistent/x.py'], 'error: /nonexistent/x.py: no such file'],
    [['run', '--lesson', 'no-such-lesson'], 'error: unknown lesson "no-such-lesson"'],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('refuses an oversized file and a file name the sandbox does not accept', async () => {
    const big = await cli('run', file('big.py', `# ${'x'.repeat(70 * 1024)}\n`));
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/^error: .*big\.py is 71 KiB; a file may hold at most 64 KiB\n$/);
    const badName = await cli('run', file('bad name.py', 'print(1)\n'));
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(
      /^error: "bad name\.py" is not a file name the sandbox accepts: .* \(like client\.py\)\.\n$/,
    );
  });

  it('prints help and exits 0', async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: npm run sandbox -- run [options] [FILE...]');
  });
});
