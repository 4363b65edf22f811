import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkHost, formatProblems, versionAtLeast, type HostProbe } from './check.ts';

const VERSIONS: Record<string, string> = {
  '/usr/bin/bwrap': 'bubblewrap 0.8.0\n',
  '/usr/bin/python3': 'Python 3.11.2\n',
};

/** A host where everything is in place, as a base that each test breaks in one way. */
function healthyHost(
  overrides: Partial<HostProbe> = {},
  files: Record<string, string> = {},
): HostProbe {
  const text: Record<string, string> = {
    '/proc/sys/user/max_user_namespaces': '15000\n',
    '/proc/swaps': 'Filename Type Size Used Priority\n',
    '/proc/sys/kernel/core_pattern': 'core\n',
    ...files,
  };
  const present = new Set([
    ...['memory', 'pids', 'cpu', 'cpuacct', 'freezer'].map(
      (c) => `/sys/fs/cgroup/${c}/cgroup.procs`,
    ),
    ...Object.keys(text),
  ]);
  return {
    nodeVersion: '24.1.0',
    uid: 0,
    run: (command, args) => ({
      status: 0,
      stdout: args[0] === '--version' ? (VERSIONS[command] ?? '') : '',
      stderr: '',
    }),
    read: (path) => text[path] ?? null,
    exists: (path) => present.has(path),
    writable: () => true,
    executable: () => true,
    ...overrides,
  };
}

const checksOf = async (probe: HostProbe) => (await checkHost(probe)).map((p) => p.check);

describe('checkHost', () => {
  it('finds nothing wrong on a healthy host', async () => {
    expect(await checkHost(healthyHost())).toEqual([]);
  });

  it('refuses a core_pattern that pipes crashes to a host helper, naming it', async () => {
    const probe = healthyHost(
      {},
      { '/proc/sys/kernel/core_pattern': '|/usr/share/apport/apport -p%p -s%s -c%c\n' },
    );
    const problems = await checkHost(probe);
    expect(problems.map((p) => p.check)).toEqual(['core-pattern']);
    expect(problems[0]?.problem).toContain('(/usr/share/apport/apport)');
    expect(problems[0]?.fix).toMatch(/^sysctl -w kernel\.core_pattern=core/);
    const plainFile = healthyHost({}, { '/proc/sys/kernel/core_pattern': '/var/crash/core.%p\n' });
    expect(await checkHost(plainFile)).toEqual([]);
  });

  it('says to run as root, with the reason, and nothing that follows from it', async () => {
    const problems = await checkHost(healthyHost({ uid: 1000, writable: () => false }));
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.problem).toMatch(/network namespaces and cgroups/);
    expect(problem?.fix).toMatch(/docs\/deploy\.md/);
  });

  it('names the package for each missing program, by absolute path, and all at once', async () => {
    const missing = new Set([
      '/usr/bin/bwrap',
      '/usr/sbin/ip',
      '/usr/bin/python3',
      '/usr/bin/setpriv',
    ]);
    const probe = healthyHost({
      executable: (file) => !missing.has(file),
      run: (command) => ({ status: missing.has(command) ? null : 0, stdout: '', stderr: '' }),
    });
    const problems = await checkHost(probe);
    expect(problems.map((p) => p.fix)).toEqual([
      'apt-get install -y bubblewrap',
      'apt-get install -y iproute2',
      'apt-get install -y util-linux',
      'apt-get install -y python3',
    ]);
    expect(problems[3]?.problem).toBe(
      '/usr/bin/python3 is missing: the interpreter learner code runs on.',
    );
    expect(formatProblems(problems).split('\n').at(-1)).toBe(
      '  all at once: apt-get install -y bubblewrap iproute2 util-linux python3',
    );
  });

  it('finds a missing Python module (python3-seccomp) by importing it', async () => {
    const run: HostProbe['run'] = (command, args) =>
      args.join(' ') === '-c import seccomp'
        ? { status: 1, stdout: '', stderr: "ModuleNotFoundError: No module named 'seccomp'\n" }
        : { status: 0, stdout: VERSIONS[command] ?? '', stderr: '' };
    const problems = await checkHost(healthyHost({ run }));
    expect(problems).toEqual([
      {
        check: 'python3-seccomp',
        problem:
          'the Python module seccomp is missing from /usr/bin/python3: compiles the seccomp filter every learner process runs under.',
        fix: 'apt-get install -y python3-seccomp',
        package: 'python3-seccomp',
      },
    ]);
  });

  it('needs tcpdump only while packet capture is on', async () => {
    const probe = healthyHost({ executable: (file) => file !== '/usr/bin/tcpdump' });
    expect(await checksOf(probe)).toEqual(['tcpdump']);
    expect(await checkHost(probe, { capture: false })).toEqual([]);
  });

  it('rejects a Python older than 3.11 with the version it found', async () => {
    const run: HostProbe['run'] = (command) => ({
      status: 0,
      stdout: command === '/usr/bin/python3' ? 'Python 3.9.2\n' : (VERSIONS[command] ?? ''),
      stderr: '',
    });
    const [problem] = await checkHost(healthyHost({ run }));
    expect(problem?.problem).toMatch(
      /^\/usr\/bin\/python3 is version 3\.9\.2, older than the 3\.11\.0 needed/,
    );
  });

  it('rejects a bubblewrap older than 0.8', async () => {
    const probe = healthyHost({
      run: (command) => ({
        status: 0,
        stdout: command === '/usr/bin/bwrap' ? 'bubblewrap 0.4.1\n' : (VERSIONS[command] ?? ''),
        stderr: '',
      }),
    });
    expect(await checksOf(probe)).toEqual(['bubblewrap']);
  });

  it('gives the sysctl that re-enables user namespaces', async () => {
    const probe = healthyHost({}, { '/proc/sys/kernel/unprivileged_userns_clone': '0\n' });
    const [problem] = await checkHost(probe);
    expect(problem?.fix).toMatch(/^sysctl -w kernel\.unprivileged_userns_clone=1/);
  });

  it('lists the missing cgroup v1 controllers', async () => {
    const probe = healthyHost({
      exists: (path) => !path.includes('freezer') && !path.endsWith('cgroup.controllers'),
    });
    const [problem] = await checkHost(probe);
    expect(problem?.problem).toMatch(/freezer/);
  });

  it('asks for cgroup v2 delegation when controllers are missing', async () => {
    const probe = healthyHost({}, { '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io\n' });
    const [problem] = await checkHost(probe);
    expect(problem?.check).toBe('cgroup-v2');
    expect(problem?.fix).toContain('+memory +pids');
  });

  it('refuses a read-only cgroup hierarchy', async () => {
    expect(await checksOf(healthyHost({ writable: () => false }))).toEqual(['cgroup-v1']);
  });

  it('refuses swap without swap accounting', async () => {
    const probe = healthyHost({}, { '/proc/swaps': 'Filename Type\n/swapfile file 100 0 -2\n' });
    expect(await checksOf(probe)).toEqual(['swap-accounting']);
  });

  it('refuses an old Node', async () => {
    expect(await checksOf(healthyHost({ nodeVersion: '20.20.2' }))).toEqual(['node']);
  });

  it('reports the live sandbox probe failing with bubblewrap’s own words', async () => {
    const run: HostProbe['run'] = (command, args) =>
      command === '/usr/bin/setpriv' && args.includes('/usr/bin/bwrap')
        ? { status: 1, stdout: '', stderr: 'bwrap: No permissions to create new namespace\n' }
        : { status: 0, stdout: VERSIONS[command] ?? '', stderr: '' };
    const [problem] = await checkHost(healthyHost({ run }));
    expect(problem?.problem).toContain('No permissions to create new namespace');
  });
});

describe('formatProblems', () => {
  it('prints each problem with its fix, no stack trace', () => {
    const text = formatProblems([
      { check: 'x', problem: 'bubblewrap is missing.', fix: 'apt-get install bubblewrap' },
    ]);
    expect(text).toBe(
      'handshake: the sandbox cannot run safely on this host (1 problem):\n  ✗ bubblewrap is missing.\n    fix: apt-get install bubblewrap',
    );
  });
});

describe('versionAtLeast', () => {
  it('compares dotted versions numerically', () => {
    expect(versionAtLeast('0.10.0', [0, 8, 0])).toBe(true);
    expect(versionAtLeast('v22.17.9', [22, 18, 0])).toBe(false);
    expect(versionAtLeast('22.18', [22, 18, 0])).toBe(true);
  });
});

describe('the Node guard every npm script runs first (scripts/require-node.cjs)', () => {
  const { tooOldMessage } = createRequire(import.meta.url)('../../scripts/require-node.cjs') as {
    tooOldMessage(version: string, engines: string): string | null;
  };

  it('says in one line which Node to install', () => {
    expect(tooOldMessage('20.20.2', '>=22.18')).toBe(
      'handshake: Node 20.20.2 is too old; Node 22.18 or newer is needed (24 LTS recommended: `npm install -g node@24`, then run this again).',
    );
    expect(tooOldMessage('22.17.9', '>=22.18')).toMatch(/too old/);
  });

  it('lets the minimum and newer through', () => {
    for (const version of ['22.18.0', '22.18', '23.0.0', 'v24.21.0'])
      expect(tooOldMessage(version, '>=22.18')).toBeNull();
  });
});
