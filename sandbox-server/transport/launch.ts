/**
 * Starts `sandbox-server/main.ts` as a child process, exactly as `npm run sandbox-server` does,
 * and resolves once it listens: for the integration tests and `npm run bench`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
const LISTENING = /sandbox server listening on (ws:\/\/\S+)/;

export interface LaunchedServer {
  url: string;
  /** Its HANDSHAKE_INSTANCE: its sandboxes' objects are named hs-<instance>-<n>. */
  instance: string;
  child: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  log(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Resolves with the exit code once main has exited (however it was ended). */
  exited: Promise<number | null>;
  /** Pids of main's children now: the privileged jailer and the unprivileged front. */
  children(): { jailer?: number; front?: number };
}

/** Reads a file, or '' when it is gone. */
function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The jailer and front among the children of `pid`, by the script each runs. */
export function serverChildren(pid: number): { jailer?: number; front?: number } {
  const found: { jailer?: number; front?: number } = {};
  for (const child of readOr(`/proc/${pid}/task/${pid}/children`).split(/\s+/).filter(Boolean)) {
    const command = readOr(`/proc/${child}/cmdline`);
    if (command.includes('jailer/main.ts')) found.jailer = Number(child);
    if (command.includes('front/main.ts')) found.front = Number(child);
  }
  return found;
}

let launched = 0;

/**
 * Launches the server with these HANDSHAKE_* overrides (port 0 unless given). Each gets an
 * instance id of its own unless given one (servers of parallel test files share the kernel);
 * pass a server's `instance` to a relaunch that must sweep what it left.
 */
export function launchServer(
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<LaunchedServer> {
  launched += 1;
  const instance = env.HANDSHAKE_INSTANCE ?? `t${process.pid.toString(36)}${launched.toString(36)}`;
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, HANDSHAKE_SANDBOX_PORT: '0', ...env, HANDSHAKE_INSTANCE: instance },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`sandbox server ${why}:\n${output}`));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = LISTENING.exec(output)?.[1];
      if (!url || settled) return;
      settled = true;
      clearTimeout(timer);
      const children = () => serverChildren(child.pid!);
      resolve({ url, instance, child, log: () => output, stop, exited, children });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(`exited with code ${code}`));
  });
}
