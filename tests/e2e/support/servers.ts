/**
 * Starting and stopping the servers the end-to-end tests drive: the built Next app (`next start`)
 * and the sandbox server, each on a free port, each in its own process group so teardown leaves
 * nothing behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';

export interface Started {
  child: ChildProcess;
  log: string;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Newest modification time of the files a production build depends on. */
function newestSourceMtime(root: string): number {
  let newest = 0;
  const visit = (entry: string): void => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) readdirSync(entry).forEach((child) => visit(path.join(entry, child)));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  ['app', 'lib', 'next.config.mjs', 'package-lock.json'].forEach((p) => visit(path.join(root, p)));
  return newest;
}

/** Runs `next build` unless .next holds a build newer than every source file. */
export function buildAppIfStale(root: string): void {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestSourceMtime(root)) return;
  console.log('e2e: building the app (next build)…');
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'next'), ['build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('e2e: next build failed; see the output above');
}

/** Spawns a long-running server with its output in a log file. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logDir: string },
): Started {
  const log = path.join(options.logDir, `${name}.log`);
  const out = createWriteStream(log);
  // detached: its own process group, so teardown can signal it and every child it spawned.
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { child, log };
}

/** Stops a started server: SIGTERM to its group, SIGKILL if it is still there after 5 s. */
export async function stopProcess({ child }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resolves once `url` answers with a status below 500; rejects after `timeoutMs`. */
export async function waitForHttp(
  url: string,
  started: Started,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    assertAlive(started);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`e2e: ${url} did not answer within ${timeoutMs / 1000} s (log: ${started.log})`);
}

/** Resolves once the sandbox at `url` greets a client from `origin` with hello. */
export async function waitForSandbox(
  url: string,
  origin: string,
  started: Started | null,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (started) assertAlive(started);
    try {
      await helloFrom(url, origin);
      return;
    } catch (error) {
      last = String(error);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(
    `e2e: the sandbox at ${url} sent no hello within ${timeoutMs / 1000} s: ${last}${started ? ` (log: ${started.log})` : ''}`,
  );
}

function helloFrom(url: string, origin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin });
    const timer = setTimeout(() => finish(new Error('timed out')), 3000);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.terminate();
      if (error) reject(error);
      else resolve();
    };
    socket.on('message', (data) => {
      const type = (JSON.parse(data.toString()) as { type?: string }).type;
      finish(type === 'hello' ? undefined : new Error(`first message was ${type}, not hello`));
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', (code) => finish(new Error(`closed with code ${code}`)));
  });
}

function assertAlive(started: Started): void {
  const { child, log } = started;
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(
      `e2e: a server exited early (${child.exitCode ?? child.signalCode}); see ${log}`,
    );
  }
}
