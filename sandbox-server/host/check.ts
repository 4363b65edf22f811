/**
 * The startup self-check (like isolate's check-environment): finds every reason the sandbox
 * could not isolate a run on this host and says, for each, exactly how to fix it. The server
 * refuses to serve while any problem remains. Probes are injectable so the messages are testable.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HOST_REQUIREMENTS, type HostRequirement } from './requirements.ts';
import { HOST_TOOLS } from '../jail/host-tools.ts';

/** One reason the sandbox cannot run here, with the command or setting that fixes it. */
export interface HostProblem {
  check: string;
  problem: string;
  fix: string;
  /** The Debian package that fixes it, when installing one does. */
  package?: string;
}

/** What this server's configuration uses of the host (packet capture can be turned off). */
export interface HostNeeds {
  capture: boolean;
}

/** What the checks may ask of the host; tests replace it with a fake. */
export interface HostProbe {
  nodeVersion: string;
  uid: number;
  /** Runs a command; status is null when it could not be started. */
  run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string };
  /** A file's text, or null when it cannot be read. */
  read(path: string): string | null;
  exists(path: string): boolean;
  writable(path: string): boolean;
  executable(path: string): boolean;
}

const require = createRequire(import.meta.url);
const { tooOldMessage } = require('../../scripts/require-node.cjs') as {
  tooOldMessage(version: string, engines: string): string | null;
};
const NODE_ENGINES = (require('../../package.json') as { engines: { node: string } }).engines.node;
const V1_CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct', 'freezer'];
const V2_CONTROLLERS = ['memory', 'pids', 'cpu'];
const DEPLOY_DOC = 'see docs/deploy.md';

/** The real host. */
export const systemProbe: HostProbe = {
  nodeVersion: process.versions.node,
  uid: process.getuid?.() ?? -1,
  run(command, args) {
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 5000 });
    return {
      status: result.error ? null : result.status,
      stdout: result.stdout ?? '',
      stderr: result.stderr ?? '',
    };
  },
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  exists: (path) => existsSync(path),
  writable: (path) => accessible(path, constants.W_OK),
  executable: (path) => accessible(path, constants.X_OK),
};

function accessible(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** Checks the host and lists every problem found (empty when the sandbox can run). */
export async function checkHost(
  probe: HostProbe = systemProbe,
  needs: HostNeeds = { capture: true },
): Promise<HostProblem[]> {
  const problems = [
    ...checkNode(probe),
    ...checkRoot(probe),
    ...checkRequirements(probe, needs),
    ...checkUserNamespaces(probe),
    ...checkCgroups(probe),
    ...checkCorePattern(probe),
  ];
  // The live namespace probe only means something once its prerequisites are in place.
  if (problems.length === 0) problems.push(...probeSandbox(probe));
  return problems;
}

/** Renders problems as the lines printed instead of a stack trace. */
export function formatProblems(problems: HostProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `  ✗ ${p.problem}\n    fix: ${p.fix}`);
  const packages = [...new Set(problems.flatMap((p) => (p.package ? [p.package] : [])))];
  if (packages.length > 1) lines.push(`  all at once: apt-get install -y ${packages.join(' ')}`);
  return [`handshake: the sandbox cannot run safely on this host (${count}):`, ...lines].join('\n');
}

/** True when version `have` (e.g. "0.8.0" or "v24.1.0") is at least `need`. */
export function versionAtLeast(have: string, need: number[]): boolean {
  const parts = have
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < need.length; i++) {
    const a = parts[i] ?? 0;
    if (a !== need[i]) return a > need[i]!;
  }
  return true;
}

function checkNode(probe: HostProbe): HostProblem[] {
  const message = tooOldMessage(probe.nodeVersion, NODE_ENGINES);
  if (!message) return [];
  return [
    {
      check: 'node',
      problem: `Node ${probe.nodeVersion} is too old: the sandbox server needs Node ${NODE_ENGINES.replace(/^>=\s*/, '')} or newer.`,
      fix: 'install Node 24 LTS (for example `npm install -g node@24`), then start again.',
    },
  ];
}

function checkRoot(probe: HostProbe): HostProblem[] {
  if (probe.uid === 0) return [];
  return [
    {
      check: 'root',
      problem:
        'not running as root: the sandbox needs root to create network namespaces and cgroups.',
      fix: `run the sandbox server as root (learner code still runs unprivileged), or ${DEPLOY_DOC}.`,
    },
  ];
}

/** A missing package is fixed by one apt-get line, so several can be joined into one. */
function missingPackage(requirement: HostRequirement, problem: string): HostProblem {
  return {
    check: requirement.package,
    problem,
    fix: `apt-get install -y ${requirement.package}`,
    package: requirement.package,
  };
}

/** Checks every declared host requirement this server uses (see host/requirements.ts). */
function checkRequirements(probe: HostProbe, needs: HostNeeds): HostProblem[] {
  const used = HOST_REQUIREMENTS.filter(
    (r) => r.neededFor === 'serve' || (r.neededFor === 'capture' && needs.capture),
  );
  return used.flatMap((requirement) => {
    for (const item of requirement.provides) {
      const problem =
        'pythonModule' in item
          ? checkPythonModule(probe, item.pythonModule)
          : checkProgram(probe, item.program, item.minVersion);
      if (problem) return [missingPackage(requirement, `${problem}: ${requirement.why}.`)];
    }
    return [];
  });
}

function checkProgram(
  probe: HostProbe,
  program: string,
  minVersion?: { args: string[]; version: number[] },
): string | null {
  if (!probe.executable(program)) return `${program} is missing`;
  if (!minVersion) return null;
  const result = probe.run(program, minVersion.args);
  const version = /(\d+\.\d+(?:\.\d+)?)/.exec(`${result.stdout} ${result.stderr}`)?.[1];
  if (result.status !== 0 || !version) return `\`${program} ${minVersion.args.join(' ')}\` failed`;
  if (versionAtLeast(version, minVersion.version)) return null;
  return `${program} is version ${version}, older than the ${minVersion.version.join('.')} needed`;
}

function checkPythonModule(probe: HostProbe, module: string): string | null {
  // Without the interpreter, the python3 requirement already says what to install.
  if (!probe.executable(HOST_TOOLS.python)) return null;
  const result = probe.run(HOST_TOOLS.python, ['-c', `import ${module}`]);
  if (result.status === 0) return null;
  return `the Python module ${module} is missing from ${HOST_TOOLS.python}`;
}

function readNumber(probe: HostProbe, path: string): number | null {
  const text = probe.read(path);
  return text === null ? null : Number.parseInt(text.trim(), 10);
}

function checkUserNamespaces(probe: HostProbe): HostProblem[] {
  const problems: HostProblem[] = [];
  const sysctl = (
    name: string,
    bad: (value: number) => boolean,
    good: string,
    why: string,
  ): void => {
    const value = readNumber(probe, `/proc/sys/${name.replaceAll('.', '/')}`);
    if (value !== null && bad(value)) {
      problems.push({
        check: name,
        problem: `${why} (${name} = ${value}).`,
        fix: `sysctl -w ${name}=${good} (and add it to /etc/sysctl.d/ to keep it after a reboot)`,
      });
    }
  };
  const why = 'user namespaces are disabled, so bubblewrap cannot sandbox an unprivileged user';
  sysctl('user.max_user_namespaces', (v) => v < 64, '15000', why);
  sysctl('kernel.unprivileged_userns_clone', (v) => v === 0, '1', why);
  sysctl(
    'kernel.apparmor_restrict_unprivileged_userns',
    (v) => v !== 0,
    '0',
    'AppArmor forbids unprivileged user namespaces',
  );
  return problems;
}

function checkCgroups(probe: HostProbe): HostProblem[] {
  if (probe.exists('/sys/fs/cgroup/cgroup.controllers')) return checkCgroupV2(probe);
  const missing = V1_CONTROLLERS.filter(
    (name) => !probe.exists(`/sys/fs/cgroup/${name}/cgroup.procs`),
  );
  const problems: HostProblem[] = [];
  if (missing.length > 0) {
    problems.push({
      check: 'cgroup-v1',
      problem: `no usable cgroup controllers for ${missing.join(', ')} (cgroup v1 is mounted without them).`,
      fix: `mount them (e.g. \`mount -t cgroup -o ${missing[0]} cgroup /sys/fs/cgroup/${missing[0]}\`) or boot with cgroup v2; ${DEPLOY_DOC}.`,
    });
  } else if (probe.uid === 0 && !probe.writable('/sys/fs/cgroup/memory')) {
    problems.push({
      check: 'cgroup-v1',
      problem: 'the cgroup v1 hierarchy is read-only here, so runs cannot be limited.',
      fix: `give the sandbox server a writable /sys/fs/cgroup (in a container: --privileged or --cgroupns=private with rw cgroups); ${DEPLOY_DOC}.`,
    });
  }
  problems.push(...checkSwapAccounting(probe));
  return problems;
}

function checkCgroupV2(probe: HostProbe): HostProblem[] {
  const available = (probe.read('/sys/fs/cgroup/cgroup.controllers') ?? '').trim().split(/\s+/);
  const missing = V2_CONTROLLERS.filter((name) => !available.includes(name));
  if (missing.length > 0) {
    return [
      {
        check: 'cgroup-v2',
        problem: `cgroup v2 does not offer the ${missing.join(', ')} controller(s) here, so runs cannot be limited.`,
        fix: `delegate them to this service (systemd: Delegate=yes; by hand: echo "${missing.map((m) => `+${m}`).join(' ')}" > /sys/fs/cgroup/cgroup.subtree_control); ${DEPLOY_DOC}.`,
      },
    ];
  }
  // Without root nothing is writable; the root check already says so.
  if (probe.uid !== 0 || probe.writable('/sys/fs/cgroup')) return [];
  return [
    {
      check: 'cgroup-v2',
      problem: 'the cgroup v2 hierarchy is read-only here, so runs cannot be limited.',
      fix: `run the sandbox server with a writable, delegated cgroup (systemd: Delegate=yes; containers: --cgroupns=private); ${DEPLOY_DOC}.`,
    },
  ];
}

/** With swap on, a memory limit without a swap limit is no limit (snekbox#31). */
function checkSwapAccounting(probe: HostProbe): HostProblem[] {
  const swaps = (probe.read('/proc/swaps') ?? '').trim().split('\n').slice(1).filter(Boolean);
  if (swaps.length === 0 || probe.exists('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes'))
    return [];
  return [
    {
      check: 'swap-accounting',
      problem:
        'swap is on but cgroup swap accounting is off, so learner code could escape the memory limit by swapping.',
      fix: 'boot with the kernel parameter swapaccount=1, or turn swap off (`swapoff -a`).',
    },
  ];
}

/**
 * A core_pattern starting with `|` makes the kernel run that helper as root on the host, in the
 * host's namespaces, for every crash inside a sandbox, feeding it the crashed program's memory;
 * RLIMIT_CORE = 0 does not stop it (the kernel ignores the limit for pipes). Learner code can
 * crash Python at will (ctypes), so that helper would become attack surface and a DoS lever.
 */
function checkCorePattern(probe: HostProbe): HostProblem[] {
  const pattern = probe.read('/proc/sys/kernel/core_pattern')?.trim() ?? '';
  if (!pattern.startsWith('|')) return [];
  const helper = pattern.slice(1).trim().split(/\s+/)[0] ?? '';
  return [
    {
      check: 'core-pattern',
      problem: `kernel.core_pattern pipes every crash, including crashes of sandboxed learner code, to a root helper on the host (${helper}).`,
      fix: `sysctl -w kernel.core_pattern=core (on Ubuntu also \`systemctl disable --now apport\`; add it to /etc/sysctl.d/ to keep it; in a container set it on the host); ${DEPLOY_DOC}.`,
    },
  ];
}

/** Actually builds a throwaway sandbox as an unprivileged user, the way runs do. */
function probeSandbox(probe: HostProbe): HostProblem[] {
  const bwrapArgs = [
    '--unshare-all',
    '--die-with-parent',
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/lib',
    '/lib',
  ];
  bwrapArgs.push(
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--symlink',
    'usr/bin',
    '/bin',
    '--proc',
    '/proc',
    '/usr/bin/true',
  );
  const setprivArgs = [
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
    '--inh-caps=-all',
    HOST_TOOLS.bwrap,
    ...bwrapArgs,
  ];
  const result = probe.run(HOST_TOOLS.setpriv, setprivArgs);
  if (result.status === 0) return [];
  const detail = result.stderr.trim().split('\n')[0] || `exit status ${result.status}`;
  return [
    {
      check: 'sandbox-probe',
      problem: `bubblewrap could not build a sandbox as an unprivileged user: ${detail}`,
      fix: `enable unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone) and check that no seccomp/AppArmor profile blocks them; ${DEPLOY_DOC}.`,
    },
  ];
}
