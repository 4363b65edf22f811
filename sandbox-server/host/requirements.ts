/**
 * Everything the sandbox server needs from the host's packages, declared once. The host check
 * verifies each item; the README's Quick start, docs/deploy.md and .ci/run are generated from
 * this list or pinned to it by a test (`node sandbox-server/host/requirements.ts --help`).
 */
import { HOST_TOOLS } from '../jail/host-tools.ts';
import { TCPDUMP } from '../capture/tcpdump-command.ts';

/** What the server uses from a package: a program by absolute path, or a Python module. */
export type Provided =
  | { program: string; minVersion?: { args: string[]; version: number[] } }
  | { pythonModule: string };

/** One Debian package the project needs, what it provides and why. */
export interface HostRequirement {
  /** The Debian/Ubuntu package name (`apt-get install <package>`). */
  package: string;
  provides: Provided[];
  why: string;
  /** `serve`: `npm start` needs it; `capture`: unless HANDSHAKE_CAPTURE=0; `test`: only `npm test`. */
  neededFor: 'serve' | 'capture' | 'test';
  /** Part of every Debian/Ubuntu system (Priority: required): checked, but left out of install lines. */
  essential?: boolean;
}

/** Oldest bubblewrap with every flag the jail passes (--disable-userns, sized tmpfs). */
export const MIN_BWRAP = [0, 8, 0];
/** Oldest Python the lessons are written for (Debian 12's; asyncio.timeout is 3.11). */
export const MIN_PYTHON = [3, 11, 0];

export const HOST_REQUIREMENTS: readonly HostRequirement[] = Object.freeze([
  {
    package: 'bubblewrap',
    provides: [
      { program: HOST_TOOLS.bwrap, minVersion: { args: ['--version'], version: MIN_BWRAP } },
    ],
    why: 'the jail around every learner process',
    neededFor: 'serve',
  },
  {
    package: 'iproute2',
    provides: [{ program: HOST_TOOLS.ip }],
    why: 'creates each run’s network namespace',
    neededFor: 'serve',
  },
  {
    package: 'util-linux',
    provides: [
      { program: HOST_TOOLS.nsenter },
      { program: HOST_TOOLS.setpriv },
      { program: HOST_TOOLS.unshare },
    ],
    why: 'enters namespaces and drops privileges before a jail starts',
    neededFor: 'serve',
    essential: true,
  },
  {
    package: 'mount',
    provides: [{ program: HOST_TOOLS.mount }, { program: HOST_TOOLS.umount }],
    why: 'shows a checkout the unprivileged user cannot reach at a path it can, and mounts the /app of each warm Python',
    neededFor: 'serve',
  },
  {
    package: 'bash',
    provides: [{ program: HOST_TOOLS.bash }],
    why: 'the launcher shell that starts each jailed process',
    neededFor: 'serve',
    essential: true,
  },
  {
    package: 'python3',
    provides: [
      { program: HOST_TOOLS.python, minVersion: { args: ['--version'], version: MIN_PYTHON } },
    ],
    why: 'the interpreter learner code runs on',
    neededFor: 'serve',
  },
  {
    package: 'python3-seccomp',
    provides: [{ pythonModule: 'seccomp' }],
    why: 'compiles the seccomp filter every learner process runs under',
    neededFor: 'serve',
  },
  {
    package: 'tcpdump',
    provides: [{ program: TCPDUMP }],
    why: 'captures each run’s packets for the Network view',
    neededFor: 'capture',
  },
  {
    package: 'chromium',
    provides: [{ program: '/usr/bin/chromium' }],
    why: 'the browser of the end-to-end tests',
    neededFor: 'test',
  },
  {
    package: 'postgresql',
    provides: [{ program: '/usr/bin/pg_ctlcluster' }],
    why: 'the throwaway PostgreSQL server of the database tests (initdb, pg_ctl)',
    neededFor: 'test',
  },
  {
    package: 'mmdebstrap',
    provides: [{ program: '/usr/bin/mmdebstrap' }],
    why: 'builds the clean Debian 12 of the fresh-machine check (scripts/fresh-machine-test.sh)',
    neededFor: 'test',
  },
]);

/** The packages to install for `npm start` (with packet capture, the default). */
export function servePackages(): string[] {
  return HOST_REQUIREMENTS.filter((r) => r.neededFor !== 'test' && !r.essential).map(
    (r) => r.package,
  );
}

/** The packages to install for `npm test` as well. */
export function testPackages(): string[] {
  return HOST_REQUIREMENTS.filter((r) => !r.essential).map((r) => r.package);
}

/** The README's Quick start install line, exactly. */
export function quickStartInstallLine(): string {
  return `apt-get install -y ${servePackages().join(' ')}`;
}

function describeProvided(item: Provided): string {
  if ('pythonModule' in item) return `Python module \`${item.pythonModule}\``;
  const version = item.minVersion ? ` ≥ ${item.minVersion.version.slice(0, 2).join('.')}` : '';
  return `\`${item.program}\`${version}`;
}

/** The package table of docs/deploy.md, as Markdown (pinned by a test). */
export function requirementsTable(): string {
  const neededFor = { serve: 'always', capture: 'packet capture (on by default)', test: 'tests' };
  const rows = HOST_REQUIREMENTS.map((r) => [
    `\`${r.package}\``,
    r.provides.map(describeProvided).join(', '),
    r.why,
    r.essential ? `${neededFor[r.neededFor]} (on every system)` : neededFor[r.neededFor],
  ]);
  const header = ['package', 'provides', 'why', 'needed for'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// `node sandbox-server/host/requirements.ts serve|test`: the package names, one line (.ci/run).
if (import.meta.main) {
  const which = process.argv[2];
  if (which === 'serve') console.log(servePackages().join(' '));
  else if (which === 'test') console.log(testPackages().join(' '));
  else if (which === 'table') console.log(requirementsTable());
  else {
    console.error('usage: node sandbox-server/host/requirements.ts serve|test|table');
    process.exit(2);
  }
}
