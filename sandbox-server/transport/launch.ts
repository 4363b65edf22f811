/**
 * Starts `sandbox-server/main.ts` as a child process, exactly as `npm run sandbox-server` does,
 * and resolves once it listens: for the integration tests and `npm run bench`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
const LISTENING = /sandbox server listening on (ws:\/\/\S+)/;

export interface LaunchedServer {
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  log(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Launches the server with these HANDSHAKE_* overrides (port 0 unless given). */
export function launchServer(
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<LaunchedServer> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, HANDSHAKE_SANDBOX_PORT: '0', ...env },
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
      resolve({ url, child, log: () => output, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(`exited with code ${code}`));
  });
}
