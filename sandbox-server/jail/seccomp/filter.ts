/**
 * The seccomp filter of learner processes: policy.json (checked in) compiled to BPF by
 * build-filter.py with the Debian interpreter's python3-seccomp, once per server, and handed to
 * bwrap as `--seccomp FD`. Without python3-seccomp the sandbox refuses to run rather than run
 * learner code without its filter.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HOST_TOOLS, launcherEnv } from '../host-tools.ts';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The policy file the filter is built from. */
export const SECCOMP_POLICY = path.join(HERE, 'policy.json');

let filter: Promise<Buffer> | undefined;

/** The compiled BPF program for learner processes (built on first use, then cached). */
export function learnerSeccomp(): Promise<Buffer> {
  filter ??= buildFilter().catch((error: unknown) => {
    filter = undefined;
    throw error;
  });
  return filter;
}

/** Compiles the policy; throws with the builder's message if it cannot. */
export async function buildFilter(policy: string = SECCOMP_POLICY): Promise<Buffer> {
  const { stdout } = await run(HOST_TOOLS.python, [path.join(HERE, 'build-filter.py'), policy], {
    encoding: 'buffer',
    env: launcherEnv(),
    timeout: 10_000,
  });
  // A BPF program is a sequence of 8-byte instructions; anything else is not one.
  if (stdout.length === 0 || stdout.length % 8 !== 0) {
    throw new Error(`the seccomp builder produced ${stdout.length} bytes, not a BPF program`);
  }
  return stdout;
}
