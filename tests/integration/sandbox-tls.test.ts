/**
 * Per-run TLS certificates in the real sandbox: a cold run and a warm one (whose tls-server
 * started before the run existed) each give the learner a ca.pem of their own, read-only, with no
 * key beside it, and the tls-server presents a certificate that ca.pem verifies for localhost.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import {
  expectNothingLeft,
  outputOf,
  py,
  runFiles,
  type TestRun,
  testHost,
} from './sandbox-harness.ts';

testHost.configure({ warmSandboxes: 2 });
afterAll(() => testHost.disposeAsync());

const LESSON: LessonDefinition = {
  processes: [
    { peer: 'tls-server', name: 'tls', port: 7443, options: { reply: 'ticket {token}\n' } },
    { file: 'client.py' },
  ],
};
const CLIENT = py`
  import hashlib, os, socket, ssl
  print("ca", hashlib.sha256(open("ca.pem", "rb").read()).hexdigest())
  print("files", sorted(os.listdir("/app")))
  try:
      open("ca.pem", "a").close()
      print("ca.pem writable")
  except OSError:
      print("ca.pem read-only")
  print("peer files visible", os.path.exists("/peer/tls"))
  context = ssl.create_default_context(cafile="ca.pem")
  with socket.create_connection(("localhost", 7443)) as sock:
      with context.wrap_socket(sock, server_hostname="localhost") as tls:
          tls.sendall(b"hello\\n")
          print("reply", tls.makefile().read().strip())
`;

/** The lines the client printed, by their first word. */
function linesOf(run: TestRun): Map<string, string> {
  const lines = outputOf(run, 'client.py').trim().split('\n');
  return new Map(lines.map((line) => [line.split(' ')[0]!, line]));
}

/** Runs the client; `warm` says whether the run took a sandbox made ahead. */
async function runOnce(): Promise<{ run: TestRun; warm: boolean }> {
  const before = testHost.warm.taken;
  const run = await runFiles({ 'client.py': CLIENT }, { lesson: LESSON });
  return { run, warm: testHost.warm.taken > before };
}

describe('per-run certificates in the sandbox', () => {
  it('gives every run, cold or warm, its own read-only ca.pem that verifies its tls-server', async () => {
    const runs = [await runOnce()];
    for (let attempt = 0; attempt < 20 && !runs.some((r) => r.warm); attempt++)
      runs.push(await runOnce());
    expect(runs[0]!.warm, 'the first run of a lesson finds no warm sandbox').toBe(false);
    expect(
      runs.some((r) => r.warm),
      'a later run takes a warm one',
    ).toBe(true);
    const authorities = new Set<string>();
    for (const { run } of runs) {
      const lines = linesOf(run);
      expect(outputOf(run, 'client.py', 'stderr')).toBe('');
      expect(lines.get('files')).toBe("files ['ca.pem', 'client.py']");
      expect(lines.get('ca.pem')).toBe('ca.pem read-only');
      expect(lines.get('peer')).toBe('peer files visible False');
      expect(lines.get('reply')).toMatch(/^reply ticket [a-z0-9]{8}$/);
      authorities.add(lines.get('ca')!);
      expect(outputOf(run, 'peer:tls')).toContain('SNI "localhost"');
      expectNothingLeft(run.info);
    }
    expect(authorities.size, 'no two runs share a CA').toBe(runs.length);
  });
});
