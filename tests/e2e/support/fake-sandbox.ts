/**
 * A stand-in for the sandbox server, for developing and testing the UI only: it speaks the real
 * protocol but runs the learner's files with the host's python3, UNJAILED, and has no peers.
 * Its one check passes when every process exited 0. Never expose it; the real server is
 * sandbox-server/main.ts. Usage: node tests/e2e/support/fake-sandbox.ts [port]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { parseClientMessage, PROTOCOL_VERSION } from '../../../lib/protocol.ts';
import type { ClientMessage, Notice, ServerMessage } from '../../../lib/protocol.ts';

const WALL_SECONDS = 10;

interface FakeRun {
  children: Map<string, ChildProcess>;
  stopped: boolean;
}

/** Starts the fake sandbox on `port` (WS path /ws); resolves once it listens. */
export function startFakeSandbox(port: number): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws' });
  server.on('connection', (socket) => serve(socket));
  return new Promise((resolve) => server.on('listening', () => resolve(server)));
}

function serve(socket: WebSocket): void {
  const runs = new Map<string, FakeRun>();
  const send = (message: ServerMessage) =>
    socket.readyState === socket.OPEN && socket.send(JSON.stringify(message));
  send({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    limits: { wallSeconds: WALL_SECONDS, outputBytes: 1 << 20 },
    maxMessageBytes: 256 * 1024,
  });
  socket.on('message', (raw) => {
    const parsed = parseClientMessage(raw.toString());
    if (!parsed.ok) return send({ type: 'error', code: 'bad-message', notice: parsed.notice });
    handle(parsed.message, runs, send);
  });
  socket.on('close', () => runs.forEach((run) => stopRun(run)));
}

function handle(
  message: ClientMessage,
  runs: Map<string, FakeRun>,
  send: (m: ServerMessage) => void,
): void {
  // Nothing to get ready in this fake; it records nothing, so a run token changes nothing.
  if (message.type === 'viewing' || message.type === 'auth') return;
  const run = runs.get(message.runId);
  switch (message.type) {
    case 'run':
      runs.set(message.runId, startRun(message, send));
      return;
    case 'stdin':
      run?.children.get(message.process)?.stdin?.write(message.data);
      return;
    case 'eof':
      run?.children.get(message.process)?.stdin?.end();
      return;
    case 'interrupt':
      run?.children.get(message.process)?.kill('SIGINT');
      return;
    case 'stop':
      if (run) stopRun(run);
  }
}

function stopRun(run: FakeRun): void {
  run.stopped = true;
  for (const child of run.children.values()) child.kill('SIGKILL');
}

function startRun(
  request: Extract<ClientMessage, { type: 'run' }>,
  send: (m: ServerMessage) => void,
): FakeRun {
  const { runId, files } = request;
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-sandbox-'));
  for (const file of files) writeFileSync(path.join(dir, file.name), file.content);
  const run: FakeRun = { children: new Map(), stopped: false };
  const began = Date.now();
  send({
    type: 'run-started',
    seed: 7,
    runId,
    limits: { wallSeconds: WALL_SECONDS, outputBytes: 1 << 20 },
    processes: files.map((f) => ({ name: f.name, kind: 'learner' as const, label: f.name })),
  });
  const codes: Array<number | null> = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopRun(run);
  }, WALL_SECONDS * 1000);
  const exits = files.map((file) => {
    const child = spawn('python3', ['-u', file.name], { cwd: dir, stdio: 'pipe' });
    run.children.set(file.name, child);
    const started = Date.now();
    send({ type: 'process-started', runId, process: file.name, at: started - began });
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (data: string) =>
        send({ type: 'output', runId, process: file.name, stream, data }),
      );
    }
    child.stdin.on('error', () => {});
    return new Promise<void>((resolve) =>
      child.on('close', (code, signal) => {
        codes.push(code);
        const killed = run.stopped;
        send({
          type: 'process-exited',
          runId,
          process: file.name,
          end: killed ? 'killed' : 'exited',
          exitCode: killed ? null : code,
          signal: killed ? 'SIGKILL' : signal,
          durationMs: Date.now() - started,
        });
        resolve();
      }),
    );
  });
  void Promise.all(exits).then(() => {
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
    const passed = codes.every((c) => c === 0);
    send({
      type: 'checks',
      runId,
      results: [
        {
          id: 'exit-zero',
          title: 'Programs exit cleanly',
          status: passed ? 'pass' : 'fail',
          message: passed
            ? 'Every program exited with status 0.'
            : 'A program exited with an error.',
          details: passed ? undefined : `exit codes: ${codes.join(', ')}`,
        },
      ],
    });
    const reason = timedOut ? 'time-limit' : run.stopped ? 'stopped' : 'completed';
    const notice: Notice = timedOut
      ? { code: 'time-limit', params: { seconds: WALL_SECONDS } }
      : { code: run.stopped ? 'run-stopped' : 'run-completed', params: {} };
    send({ type: 'run-finished', runId, reason, notice, durationMs: Date.now() - began });
  });
  return run;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 3001);
  await startFakeSandbox(port);
  console.log(`fake sandbox (UNJAILED, for UI development) on ws://127.0.0.1:${port}/ws`);
}
