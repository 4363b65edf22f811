/**
 * Helpers for the capture integration tests: a network namespace made for one test and proven
 * gone after it, Python programs run inside it, and lines awaited from their output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { HOST_TOOLS } from '../../sandbox-server/jail/host-tools.ts';
import { createNetns, deleteNetns, listNetns, netnsPath } from '../../sandbox-server/jail/netns.ts';

let counter = 0;

/**
 * Runs `test` with a fresh namespace, deleted afterwards. The name follows the runs' pattern
 * (`hs-<pid>-<n>`), so a namespace this process leaves by crashing is swept like a run's.
 */
export async function withNetns<T>(test: (netns: string) => Promise<T>): Promise<T> {
  counter += 1;
  const name = `hs-${process.pid}-${9000 + counter}`;
  await createNetns(name);
  try {
    return await test(name);
  } finally {
    await deleteNetns(name);
    expect(listNetns()).not.toContain(name);
  }
}

/** Starts `code` with the host's Python inside the namespace `netns`. */
export function python(netns: string, code: string): ChildProcess {
  return spawn(
    HOST_TOOLS.nsenter,
    [`--net=${netnsPath(netns)}`, '--', HOST_TOOLS.python, '-c', code],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** The first stdout line of `child` that matches `pattern` (rejects if the child ends first). */
export function lineMatching(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const match = pattern.exec(text);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('close', (code) =>
      reject(new Error(`exited (${code}) before printing ${pattern}: ${text}`)),
    );
  });
}

/** Waits for `child` to exit; fails the test with its stderr unless it exited 0. */
export async function succeeded(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = child.exitCode !== null ? [child.exitCode] : await once(child, 'close');
  expect(code, stderr).toBe(0);
}

/**
 * Removes common indentation, so Python can be written indented inside a test. Backslashes stay
 * as written (`b"hi\n"` reaches Python as an escape, not as a line break).
 */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const lines = String.raw({ raw: strings.raw }, ...values)
    .replace(/^\n/, '')
    .split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** True while a process with this pid exists (zombies included). */
export function processExists(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}
