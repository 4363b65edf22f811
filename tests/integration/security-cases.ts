/**
 * The exploit suite's cases: one per hostile program in tests/security, grouped by what it
 * attacks, each with the exact outcome it must have. security-suite.test.ts runs them and adds
 * the checks every case shares (nothing of the run left, host unchanged, no host path leaked).
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import type { RunEndReason } from '../../lib/protocol.ts';
import { HOST_ETC_FILES } from '../../sandbox-server/jail/etc-files.ts';
import { FIRST_LEARNER_UID } from '../../sandbox-server/jail/slot-locks.ts';
import { SECCOMP_POLICY } from '../../sandbox-server/jail/seccomp/filter.ts';
import { REPORT_BUDGET } from '../../sandbox-server/run/timing.ts';
import {
  eventOf,
  expectNothingLeft,
  hostView,
  outputOf,
  runFiles,
  type TestRun,
  type TestRunOptions,
} from './sandbox-harness.ts';

/** The classes of attack, in the order the suite reports them. */
export const CLASSES = [
  'processes and CPU',
  'memory',
  'output',
  'files and persistence',
  'host files and secrets',
  'privileges and kernel surface',
  'network',
  'terminal',
  'peers',
] as const;

/** One hostile program and what must come of it. */
export interface ExploitCase {
  /** File name in tests/security. */
  file: string;
  class: (typeof CLASSES)[number];
  /** The behaviour the case proves, as the test's name. */
  proves: string;
  /** How the run must end. */
  reason: RunEndReason;
  /**
   * Wall clock of the run (default 10 s): low for cases that end at it. The concurrent pass
   * stretches it, since six hostile runs at once on two cores slow each other down.
   */
  wallSeconds?: number;
  options?: () => TestRunOptions;
  /** Runs the case when it needs more than one run; returns the run the checks look at. */
  run?: (source: string) => Promise<TestRun>;
  check: (run: TestRun, out: string) => void;
}

const MiB = 1024 * 1024;
const SECURITY = path.join(import.meta.dirname, '..', 'security');

/** The abstract UNIX socket the host listens on for programs to try. */
const ABSTRACT_CANARY = `handshake-security-canary-${process.pid}`;

/** The source of a hostile program. */
export function hostileSource(file: string): string {
  // The canary's name carries this test process's pid, so two suites on one host never clash.
  return readFileSync(path.join(SECURITY, file), 'utf8').replaceAll(
    '"handshake-security-canary"',
    JSON.stringify(ABSTRACT_CANARY),
  );
}

/** Host services the sandbox must not reach; the counters must stay at zero. */
export class HostServices {
  tcpPort = 0;
  tcpConnections = 0;
  abstractConnections = 0;
  private readonly servers: net.Server[] = [];

  /** Listens on the host's 127.0.0.1 and on the abstract UNIX socket the programs try. */
  async start(): Promise<void> {
    const tcp = net.createServer((socket) => {
      this.tcpConnections += 1;
      socket.destroy();
    });
    const unix = net.createServer((socket) => {
      this.abstractConnections += 1;
      socket.destroy();
    });
    this.servers.push(tcp, unix);
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => unix.listen({ path: `\0${ABSTRACT_CANARY}` }, resolve));
    this.tcpPort = (tcp.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}

/** The host services of this test process. */
export const hostServices = new HostServices();

const ECHO_LESSON: LessonDefinition = {
  processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'main.py' }],
};

const finishedMessage = (run: TestRun): string =>
  renderNotice(eventOf(run, 'run-finished').notice, 'en');
const durationMs = (run: TestRun): number => eventOf(run, 'run-finished').durationMs;
const learnerExit = (run: TestRun) => eventOf(run, 'process-exited', 'main.py');

/** A stopped or forking run still ends on time: its kill does not wait for anything. */
function endsOnTime(run: TestRun): void {
  const { wallSeconds } = eventOf(run, 'run-started').limits;
  expect(finishedMessage(run)).toBe(`Time limit of ${wallSeconds} s reached: the run was stopped.`);
  expect(durationMs(run)).toBeLessThan(wallSeconds * 1000 + 2000);
}

const PROCESSES: ExploitCase[] = [
  {
    file: 'fork-bomb.py',
    class: 'processes and CPU',
    proves: 'a fork bomb meets the pids limit and its own message',
    reason: 'process-limit',
    check: (run) => {
      expect(finishedMessage(run)).toBe(
        'Too many processes: the limit of 64 was reached and the program was stopped.',
      );
      expect(learnerExit(run)).toMatchObject({ end: 'killed', signal: 'SIGKILL' });
    },
  },
  {
    file: 'thread-bomb.py',
    class: 'processes and CPU',
    proves: 'threads count against the same pids limit, not an address-space failure',
    reason: 'process-limit',
    check: (run, out) => {
      // print() writes the text and its newline separately (-u): the limit's kill may come between.
      expect(out).toMatch(/^refused after \d+ threads\n?$/);
      expect(Number(/\d+/.exec(out)![0])).toBeGreaterThan(50);
      expect(finishedMessage(run)).toMatch(/^Too many processes: the limit of 64/);
    },
  },
  {
    file: 'sigstop-self.py',
    class: 'processes and CPU',
    proves: 'a SIGSTOPped child cannot hold the run past its wall clock',
    reason: 'time-limit',
    wallSeconds: 1,
    check: (run, out) => {
      expect(out).toBe('child stopped itself; waiting\n');
      endsOnTime(run);
    },
  },
  {
    file: 'sigstop-group.py',
    class: 'processes and CPU',
    proves: 'a SIGSTOPped process group is killed on time with the rest',
    reason: 'time-limit',
    wallSeconds: 1,
    check: (run, out) => {
      expect(out).toBe('group leader state T\nmain not stopped; waiting for the stopped group\n');
      endsOnTime(run);
    },
  },
  {
    file: 'double-fork-daemon.py',
    class: 'processes and CPU',
    proves: 'a daemonised grandchild dies with the program; the run completes at once',
    reason: 'completed',
    check: (run, out) => {
      expect(out).toContain('parent exits\n');
      expect(learnerExit(run)).toMatchObject({ end: 'exited', exitCode: 0 });
      expect(durationMs(run)).toBeLessThan(3000);
    },
  },
  {
    file: 'setsid-escape.py',
    class: 'processes and CPU',
    proves: 'a child in its own session, ignoring all signals, dies with the program',
    reason: 'completed',
    check: (run, out) => {
      expect(out).toBe('parent leaves the child behind\n');
      expect(durationMs(run)).toBeLessThan(3000);
    },
  },
  {
    file: 'fork-churn.py',
    class: 'processes and CPU',
    proves: 'processes forking without end are all killed at once, on time',
    reason: 'time-limit',
    wallSeconds: 1,
    check: (run, out) => {
      expect(out.match(/churning/g)).toHaveLength(4);
      endsOnTime(run);
    },
  },
  {
    file: 'cpu-spin.py',
    class: 'processes and CPU',
    proves: 'CPU time is counted over all processes and threads of the run',
    reason: 'cpu-limit',
    options: () => ({ limits: { cpuSeconds: 1 } }),
    check: (run) => {
      expect(finishedMessage(run)).toBe('CPU time limit of 1 s reached: the program was stopped.');
    },
  },
  {
    file: 'cpu-relay.py',
    class: 'processes and CPU',
    proves: 'short-lived processes handing on the work still use up the run’s CPU budget',
    reason: 'cpu-limit',
    options: () => ({ limits: { cpuSeconds: 1 } }),
    check: (run, out) => {
      expect(out).toBe('relay started\n');
      expect(finishedMessage(run)).toBe('CPU time limit of 1 s reached: the program was stopped.');
    },
  },
  {
    file: 'sigxcpu-ignore.py',
    class: 'processes and CPU',
    proves: 'ignoring SIGXCPU does not escape the CPU limit',
    reason: 'cpu-limit',
    options: () => ({ limits: { cpuSeconds: 1 } }),
    check: (run) => {
      expect(finishedMessage(run)).toBe('CPU time limit of 1 s reached: the program was stopped.');
      expect(learnerExit(run)).toMatchObject({ end: 'killed', signal: 'SIGKILL' });
    },
  },
  {
    file: 'sleep-forever.py',
    class: 'processes and CPU',
    proves: 'a program using no CPU still ends at the wall clock',
    reason: 'time-limit',
    wallSeconds: 1,
    check: (run) => endsOnTime(run),
  },
  {
    file: 'crash-dump.py',
    class: 'processes and CPU',
    proves: 'a crash dumps no core for a host helper to read',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe('RLIMIT_CORE: (0, 0)\nchild: signal 11 no core dump\nfiles in /tmp: []\n');
    },
  },
];

const MEMORY: ExploitCase[] = [
  {
    file: 'memory-balloon.py',
    class: 'memory',
    proves: 'a growing buffer is OOM-killed at the default 256 MiB with its own message',
    reason: 'memory-limit',
    check: (run, out) => {
      expect(finishedMessage(run)).toBe(
        'Memory limit of 256 MiB reached: the program was stopped.',
      );
      expect(learnerExit(run)).toMatchObject({ end: 'killed', signal: 'SIGKILL' });
      // Nothing beyond the limit was ever handed out (16 MiB steps, swap off).
      const reached = Math.max(...[...out.matchAll(/(\d+) MiB/g)].map((match) => Number(match[1])));
      expect(reached).toBeLessThanOrEqual(256);
    },
  },
  {
    file: 'mmap-balloon.py',
    class: 'memory',
    proves: 'anonymous mappings count against the same limit',
    reason: 'memory-limit',
    options: () => ({ limits: { memoryBytes: 64 * MiB } }),
    check: (run) => {
      expect(finishedMessage(run)).toBe('Memory limit of 64 MiB reached: the program was stopped.');
    },
  },
  {
    file: 'memory-spread.py',
    class: 'memory',
    proves: 'memory is limited per run, not per process',
    reason: 'memory-limit',
    check: (run, out) => {
      expect(out).toContain('worker 3 holds 48 MiB\n');
      expect(out).not.toContain('NOT LIMITED');
      expect(finishedMessage(run)).toMatch(/^Memory limit of 256 MiB reached/);
    },
  },
  {
    file: 'shm-fill.py',
    class: 'memory',
    proves: 'the private /dev/shm stops at its size',
    reason: 'completed',
    check: (_run, out) => expect(out).toBe('shm full at 8 MiB (ENOSPC)\n'),
  },
  {
    file: 'tmpfs-inodes.py',
    class: 'memory',
    proves: 'inodes of empty files are kernel memory charged to the run',
    reason: 'memory-limit',
    options: () => ({ limits: { memoryBytes: 64 * MiB } }),
    check: (run, out) => {
      expect(out).not.toContain('stopped after');
      expect(finishedMessage(run)).toBe('Memory limit of 64 MiB reached: the program was stopped.');
    },
  },
  {
    file: 'sparse-file.py',
    class: 'memory',
    proves: 'sparse files meet the file-size limit and real allocation the size of /tmp',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe(
        [
          'truncate to 1 TiB: EFBIG',
          'seek to 1 TiB and write: EFBIG',
          'fallocate 6 MiB: DONE',
          'fallocate 6 MiB more: DONE',
          'fallocate 6 MiB beyond /tmp: ENOSPC',
          'tmp used MiB: 12',
          '',
        ].join('\n'),
      );
    },
  },
];

/** Output of every process and stream of a run, in bytes. */
function outputBytes(run: TestRun): number {
  return run.events
    .filter((event) => event.type === 'output')
    .reduce((total, event) => total + Buffer.byteLength(event.data), 0);
}

const OUTPUT: ExploitCase[] = [
  {
    file: 'output-flood.py',
    class: 'output',
    proves: 'a flood stops at the default 1 MiB output limit with its own message',
    reason: 'output-limit',
    check: (run) => {
      expect(finishedMessage(run)).toBe('Output limit of 1 MiB reached: the program was stopped.');
      expect(outputBytes(run)).toBe(MiB);
      // Coalesced: a flood makes few, large events, not one per line.
      expect(run.events.filter((event) => event.type === 'output').length).toBeLessThan(200);
    },
  },
  {
    file: 'stderr-flood.py',
    class: 'output',
    proves: 'stderr counts against the same output budget',
    reason: 'output-limit',
    options: () => ({ limits: { outputBytes: 64 * 1024 } }),
    check: (run) => {
      expect(outputBytes(run)).toBe(64 * 1024);
      expect(Buffer.byteLength(outputOf(run, 'main.py', 'stderr'))).toBe(64 * 1024);
    },
  },
  {
    file: 'huge-line.py',
    class: 'output',
    proves: 'one endless line arrives in bounded events and stops at the limit',
    reason: 'output-limit',
    options: () => ({ limits: { outputBytes: 256 * 1024 } }),
    check: (run) => {
      expect(outputBytes(run)).toBe(256 * 1024);
      for (const event of run.events)
        if (event.type === 'output') expect(event.data.length).toBeLessThanOrEqual(64 * 1024);
    },
  },
  {
    file: 'fork-flood.py',
    class: 'output',
    proves: 'sixteen writers on two streams share one budget and all die with the run',
    reason: 'output-limit',
    options: () => ({ limits: { outputBytes: 64 * 1024 } }),
    check: (run) => expect(outputBytes(run)).toBe(64 * 1024),
  },
  {
    file: 'invalid-utf8.py',
    class: 'output',
    proves: 'bytes that are not UTF-8 arrive as valid text, a split character joined again',
    reason: 'completed',
    check: (run, out) => {
      expect(out).toBe(
        'A\uFFFDB\uFFFD\uFFFDC\uFFFD\uFFFD\uFFFDD\uFFFDE\u0000F\nsplit \u20AC done\n',
      );
      expect(outputOf(run, 'main.py', 'stderr')).toBe('err \uFFFD\uFFFD\n');
    },
  },
];

const FILES: ExploitCase[] = [
  {
    file: 'filesystem.py',
    class: 'files and persistence',
    proves: 'writes land only in the sized /tmp; / /usr /etc /app /dev /proc/sys are read-only',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).not.toMatch(/WRITTEN|VISIBLE/);
      for (const target of ['/x', '/app/x', '/usr/x', '/etc/x', '/dev/x'])
        expect(out).toContain(`write ${target}: refused (30)`);
      expect(out).toContain('write /app/main.py: refused (30)');
      expect(out).toContain('one file: 8 MiB (errno 27)');
      expect(out).toMatch(/tmp full at 1[56] MiB \(errno 28\)/);
    },
  },
  {
    file: 'persistence.py',
    class: 'files and persistence',
    proves: 'marks left in /tmp and /dev/shm are gone in the next run on the same slot',
    reason: 'completed',
    run: async (source) => {
      const first = await runFiles({ 'main.py': source }, { slot: 0 });
      expect(outputOf(first, 'main.py')).toContain('found marks: none, fresh\n');
      expectNothingLeft(first.info);
      return runFiles({ 'main.py': source }, { slot: first.info.learnerUid - FIRST_LEARNER_UID });
    },
    check: (_run, out) => {
      expect(out).toBe(
        "found marks: none, fresh\nleft marks in: ['/tmp/.handshake-mark', '/dev/shm/.handshake-mark', '/tmp/.cache/mark']\n",
      );
    },
  },
  {
    file: 'symlink-tricks.py',
    class: 'files and persistence',
    proves: 'planted links reach nothing, the host never follows them, they vanish with the run',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe(
        [
          'hardlink /usr/bin/python3: EXDEV',
          'hardlink /etc/passwd: EXDEV',
          'hardlink /app/main.py: EXDEV',
          '/proc/1/root/etc/shadow: unreachable',
          '/proc/self/root/../../etc/shadow: unreachable',
          '/proc/1/cwd/../../root: unreachable',
          '/tmp/../../../../etc/shadow: unreachable',
          'root is its own: True',
          'links left in /tmp: 5',
          '',
        ].join('\n'),
      );
    },
  },
  {
    file: 'big-file.py',
    class: 'files and persistence',
    proves: 'RLIMIT_FSIZE kills with SIGXFSZ or fails with EFBIG exactly at 8 MiB',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe(
        'child killed by SIGXFSZ\nchild file: 8388608 bytes\nparent: EFBIG at 8388608 bytes\n',
      );
    },
  },
  {
    file: 'dev-nodes.py',
    class: 'files and persistence',
    proves: 'only harmless device nodes exist, none can be made, /dev is read-only',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toContain(
        "dev: ['core', 'fd', 'full', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero']\n",
      );
      expect(out).not.toMatch(/PRESENT|MADE|CREATED|OPENED/);
      expect(out.match(/^mknod .*: EPERM$/gm)).toHaveLength(3);
      expect(out).toContain('create /dev/x: EROFS\n');
      expect(out).toContain('/dev/tty: ENXIO\n');
    },
  },
];

/** What fs-inventory.py must list: the synthetic /etc, the sources, an empty /tmp. */
function expectedInventory(): string {
  const etc = ['/etc/group', '/etc/hosts', '/etc/nsswitch.conf', '/etc/passwd'];
  etc.push(...HOST_ETC_FILES.filter((file) => existsSync(file)));
  const links = ['/bin -> usr/bin', '/lib -> usr/lib', '/lib64 -> usr/lib64', '/sbin -> usr/sbin'];
  const all = ['/app/', '/app/main.py', '/etc/', ...etc, ...links, '/tmp/'];
  return `${all.sort().join('\n')}\n`;
}

/** A canary value in the server's own environment: it must never reach learner code. */
export const SERVER_SECRET = `hs-secret-${process.pid}-${Date.now()}`;

const SECRETS: ExploitCase[] = [
  {
    file: 'host-secrets.py',
    class: 'host files and secrets',
    proves: 'a clean environment and no host secret, app directory or config visible',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toContain(
        "env: [('HOME', '/tmp'), ('LANG', 'C.UTF-8'), ('MALLOC_ARENA_MAX', '2'), ('PATH', '/usr/bin:/bin'), ('PWD', '/app'), ('PYTHONDONTWRITEBYTECODE', '1'), ('PYTHONIOENCODING', 'utf-8'), ('PYTHONUNBUFFERED', '1')]\n",
      );
      expect(out).toContain('pid 1 environ: True\n');
      expect(out).not.toContain(SERVER_SECRET);
      expect(out).not.toContain('PRESENT');
      expect(out.match(/: absent$/gm)).toHaveLength(22);
      expect(out).toContain("app: ['main.py']\n");
    },
  },
  {
    file: 'proc-leaks.py',
    class: 'host files and secrets',
    proves: '/proc shows only the program itself, no host path, no kernel addresses',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toContain('pids: [1]\n');
      expect(out).toContain("pid 1: [b'/usr/bin/python3', b'-E', b'-s', b'-u', b'/app/main.py']\n");
      const sources = /^mount sources: \[(.*)\]$/m.exec(out)![1]!.split(', ');
      const allowed =
        /^'\/(|usr|newroot|etc\/(ld\.so\.cache|services|protocols)|null|zero|full|random|urandom|tty|bindfile\w+\/\/deleted)'$/;
      for (const source of sources) expect(source).toMatch(allowed);
      expect(
        /^cgroup: \[(.*)\]$/m
          .exec(out)![1]!
          .split(', ')
          .every((line) => line.endsWith(":/'")),
      ).toBe(true);
      expect(out).toContain('hostname: sandbox\n');
      expect(out).not.toContain('READABLE');
      expect(out).toContain('keys: []\n');
      expect(out).toContain('sysv shm: 0 objects\nsysv msg: 0 objects\nsysv sem: 0 objects\n');
      expect(out).toContain('kernel addresses: hidden\n');
    },
  },
  {
    file: 'fs-inventory.py',
    class: 'host files and secrets',
    proves: 'the whole visible filesystem is exactly the synthetic one',
    reason: 'completed',
    check: (_run, out) => expect(out).toBe(expectedInventory()),
  },
];

/** Each call of the checked-in policy with the errno it must fail with. */
function policyVerdicts(): string[] {
  const policy = JSON.parse(readFileSync(SECCOMP_POLICY, 'utf8')) as {
    errno: Record<string, string[]>;
  };
  return Object.entries(policy.errno).flatMap(([errno, calls]) =>
    calls.map((call) => `${call}: ${errno}`),
  );
}

const PRIVILEGES: ExploitCase[] = [
  {
    file: 'privileges.py',
    class: 'privileges and kernel surface',
    proves: 'an unprivileged slot uid with no capabilities, no_new_privs, nothing inherited',
    reason: 'completed',
    run: async (source) => {
      let seen: ReturnType<typeof hostView> = [];
      const run = await runFiles(
        { 'main.py': source },
        {
          onEvent: (event, handle) => {
            if (event.type !== 'output' || !event.data.includes('waiting')) return;
            seen = hostView(handle.sandbox()!.netns);
            handle.eof('main.py');
          },
        },
      );
      // From the host: every process of the run is the slot's unprivileged uid, without capabilities.
      expect(seen.length).toBeGreaterThan(0);
      for (const process of seen) {
        expect(process.uid).toBe(run.info.learnerUid);
        expect(process.capEff).toBe('0000000000000000');
      }
      expect(seen.map((process) => process.uidMap)).toContain(`1000 ${run.info.learnerUid} 1`);
      return run;
    },
    check: (_run, out) => {
      expect(out).toContain('uid 1000 1000 gid 1000\n');
      expect(out).toContain(
        'CapEff 0000000000000000 CapPrm 0000000000000000 CapBnd 0000000000000000\n',
      );
      expect(out).toContain('NoNewPrivs 1\n');
      expect(out).toContain('fds [0, 1, 2, 3]\n');
      expect(out).toContain(
        "env ['HOME', 'LANG', 'MALLOC_ARENA_MAX', 'PATH', 'PWD', 'PYTHONDONTWRITEBYTECODE', 'PYTHONIOENCODING', 'PYTHONUNBUFFERED']\n",
      );
      expect(out).toMatch(/unshare user: refused/);
      expect(out).not.toContain('ALLOWED');
    },
  },
  {
    file: 'kernel-surface.py',
    class: 'privileges and kernel surface',
    proves: 'dangerous calls fail, ordinary Python (threads, multiprocessing, getaddrinfo) works',
    reason: 'completed',
    check: (_run, out) => {
      for (const name of ['unshare', 'setns', 'mount', 'ptrace', 'keyctl', 'add_key', 'bpf']) {
        expect(out).toContain(`${name}: EPERM\n`);
      }
      for (const name of ['shmget', 'perf_event_open', 'userfaultfd', 'clone_newuser'])
        expect(out).toContain(`${name}: EPERM\n`);
      expect(out).toContain('ioctl_tiocsti: EPERM\n');
      expect(out).toContain('io_uring_setup: ENOSYS\n');
      expect(out).toContain('clone3: ENOSYS\n');
      for (const family of ['AF_NETLINK', 'AF_PACKET', 'AF_VSOCK', 'AF_BLUETOOTH', 'AF_ALG'])
        expect(out).toContain(`${family}: EAFNOSUPPORT\n`);
      expect(out).toContain('pool: [1, 2]\n');
      expect(out).toContain("localhost: ('127.0.0.1', 8080)\n");
      expect(out).not.toContain('ALLOWED');
    },
  },
  {
    file: 'syscall-policy.py',
    class: 'privileges and kernel surface',
    proves: 'every call of the checked-in seccomp policy fails with the policy’s errno',
    reason: 'completed',
    check: (_run, out) => {
      const lines = out.trim().split('\n');
      expect(lines.sort()).toEqual(policyVerdicts().sort());
    },
  },
  {
    file: 'seccomp-abi.py',
    class: 'privileges and kernel surface',
    proves: 'x32 and 32-bit (int 0x80) system calls kill the process (SIGSYS)',
    reason: 'completed',
    check: (_run, out) => expect(out).toBe('x32 unshare: SIGSYS\nint 0x80 unshare: SIGSYS\n'),
  },
  {
    file: 'socket-families.py',
    class: 'privileges and kernel surface',
    proves: 'only unix, inet and inet6 sockets; no raw, packet, netlink, vsock or ping sockets',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe(
        [
          'families that got past the filter: [1, 2, 10]',
          'raw IPv4: EPERM',
          'raw IPv6: EPERM',
          'ping: EACCES',
          'packet: EAFNOSUPPORT',
          'netlink route: EAFNOSUPPORT',
          'vsock: EAFNOSUPPORT',
          '',
        ].join('\n'),
      );
    },
  },
  {
    file: 'sysv-ipc.py',
    class: 'privileges and kernel surface',
    proves: 'no SysV or POSIX IPC object can be made, so none outlives the run',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe('shmget 64 MiB: EPERM\nmsgget: EPERM\nsemget: EPERM\nmq_open: EMFILE\n');
    },
  },
  {
    file: 'setuid.py',
    class: 'privileges and kernel surface',
    proves: 'no identity change; a setuid-root program runs as the sandbox user',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toContain(
        'setuid(0): EINVAL\nsetgid(0): EINVAL\nseteuid(0): EINVAL\nsetgroups([0]): EPERM\nsetresuid(0): EINVAL\n',
      );
      expect(out).toContain('/usr mount options: nodev,nosuid,ro\n');
      expect(out).toContain('setuid mount: 32 mount: /tmp: must be superuser to use mount.');
      expect(out).toContain('uid after all: 1000 1000 []\n');
    },
  },
  {
    file: 'rlimit-raise.py',
    class: 'privileges and kernel surface',
    proves: 'limits cannot be raised, priority and real-time scheduling cannot be taken',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).not.toMatch(/RAISED|GRANTED/);
      expect(out).toContain('RLIMIT_CPU: refused (ValueError), hard 6\n');
      expect(out).toContain('RLIMIT_FSIZE: refused (ValueError), hard 8388608\n');
      expect(out).toContain('RLIMIT_NPROC: refused (ValueError), hard 80\n');
      expect(out).toContain('RLIMIT_CORE: refused (ValueError), hard 0\n');
      expect(out).toContain('RLIMIT_MSGQUEUE: refused (ValueError), hard 0\n');
      expect(out).toContain('nice -20: refused (13)\nSCHED_FIFO: refused (1)\n');
      expect(out).toContain('mlock: refused (1)\nmlockall: refused (1)\n');
    },
  },
];

/** Starts `cross-run.py` as a listener, runs it again as the attacker meanwhile, returns the attacker. */
async function crossRun(source: string): Promise<TestRun> {
  let attack: Promise<TestRun> | undefined;
  // A second, idle learner process keeps the listener's run going (a lone server is stopped
  // once quiet) until the attacker is done.
  const listenerLesson: LessonDefinition = {
    processes: [{ file: 'main.py' }, { file: 'hold.py' }],
  };
  const listener = await runFiles(
    { 'main.py': source, 'hold.py': 'import sys\nsys.stdin.read()\n' },
    {
      lesson: listenerLesson,
      onEvent: (event, handle) => {
        if (event.type === 'process-started' && event.process === 'main.py')
          handle.stdin('main.py', 'listen\n');
        if (event.type !== 'output' || !event.data.includes('listening')) return;
        attack = runFiles({ 'main.py': source }, { stdin: { 'main.py': 'attack\n' } });
        void attack.finally(() => {
          handle.eof('main.py');
          handle.eof('hold.py');
        });
      },
    },
  );
  expect(attack, 'the attacker ran while the listener listened').toBeDefined();
  expect(outputOf(listener, 'main.py')).toBe('listening\nnever contacted\n');
  expect(listener.record.reason).toBe('completed');
  expectNothingLeft(listener.info);
  return attack!;
}

const NETWORK: ExploitCase[] = [
  {
    file: 'host-loopback.py',
    class: 'network',
    proves: "the host's 127.0.0.1 service, other addresses and DNS are unreachable",
    reason: 'completed',
    options: () => ({ stdin: { 'main.py': `${hostServices.tcpPort}\n` } }),
    check: (_run, out) => {
      expect(out).toContain('127.0.0.1: blocked (ConnectionRefusedError)\n');
      expect(out).toContain('localhost: blocked (ConnectionRefusedError)\n');
      expect(out).toContain('::1: blocked');
      expect(out).toContain('1.1.1.1: blocked');
      expect(out).toContain('10.0.2.2: blocked');
      expect(out).not.toContain('CONNECTED');
      expect(out).toContain('dns: blocked\n');
      expect(hostServices.tcpConnections).toBe(0);
    },
  },
  {
    file: 'netns-interfaces.py',
    class: 'network',
    proves: 'only lo, no route or resolver, no port below 1024, read-only sysctls',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe(
        [
          "interfaces: ['lo']",
          'routes: []',
          "ipv6 routes: ['lo']",
          'udp 8.8.8.8: ENETUNREACH',
          'udp broadcast: ENETUNREACH',
          'udp 2001:4860::8888: ENETUNREACH',
          'udp 10.0.0.1: ENETUNREACH',
          'dns: Name or service not known',
          'ip_unprivileged_port_start: 1024',
          'bind 22: EACCES',
          'bind 80: EACCES',
          'bind 443: EACCES',
          'bind 1023: EACCES',
          'bind 1024: bound',
          'bind 8080: bound',
          'sysctl write: EACCES',
          '',
        ].join('\n'),
      );
    },
  },
  {
    file: 'cross-run.py',
    class: 'network',
    proves: 'two runs at once reach neither each other’s loopback, abstract sockets nor pids',
    reason: 'completed',
    run: crossRun,
    check: (_run, out) => {
      expect(out).toBe(
        'tcp 127.0.0.1:9000: ECONNREFUSED\nabstract unix: ECONNREFUSED\nkill -1: ESRCH\nother pids signalable: []\n',
      );
    },
  },
  {
    file: 'host-abstract-unix.py',
    class: 'network',
    proves: "the host's abstract UNIX sockets and socket files are out of reach",
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toContain('abstract sockets visible: []\n');
      expect(out.match(/^@.*: ECONNREFUSED$/gm)).toHaveLength(4);
      expect(out).not.toMatch(/CONNECTED|PRESENT/);
      expect(hostServices.abstractConnections).toBe(0);
    },
  },
];

const TERMINAL: ExploitCase[] = [
  {
    file: 'terminal-escapes.py',
    class: 'terminal',
    proves: 'escape sequences pass through as data, unchanged, and nothing answers on stdin',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toBe(
        '\x1b[2J\x1b[H\x1b[31mred\x1b[0m\n' +
          '\x1b]0;owned title\x07\x1b]52;c;b3duZWQ=\x07\n' +
          '\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\\n' +
          '\x1bP+q544e\x1b\\\x07secret\rhidden\n' +
          '\x1b[6n\x1b[c\x1b[21t\n' +
          'no answer on stdin\n',
      );
    },
  },
  {
    file: 'tty-injection.py',
    class: 'terminal',
    proves: 'no terminal to inject into, and TIOCSTI/TIOCLINUX are refused by the filter',
    reason: 'completed',
    check: (_run, out) => {
      expect(out).toContain('stdio are ttys: [False, False, False]\n/dev/tty: ENXIO\n');
      expect(out.match(/: EPERM$/gm)).toHaveLength(9);
      expect(out).not.toContain('INJECTED');
    },
  },
];

const peerExit = (run: TestRun) => eventOf(run, 'process-exited', 'peer:echo');

const PEERS: ExploitCase[] = [
  {
    file: 'peer-kill.py',
    class: 'peers',
    proves: 'the echo peer cannot be seen or signalled, and still answers',
    reason: 'completed',
    options: () => ({ lesson: ECHO_LESSON }),
    check: (run, out) => {
      expect(out).toBe(
        'kill -9 -1: ESRCH\npids killed: []\nnode processes visible: []\npeer answers: still there?\n',
      );
      expect(peerExit(run)).toMatchObject({ end: 'stopped' });
    },
  },
  {
    file: 'peer-flood.py',
    class: 'peers',
    proves: 'a flood the program never reads back is bounded, and the peer keeps serving',
    reason: 'completed',
    options: () => ({ lesson: ECHO_LESSON, limits: { outputBytes: 16 * MiB } }),
    check: (run, out) => {
      // Before the fix about 1 GiB went into socket buffers (v1 counted them nowhere).
      const flooded = Number(/with (\d+) MiB/.exec(out)![1]);
      expect(flooded).toBeLessThan(512);
      expect(out).toContain('peer answers: still there?\n');
      expect(peerExit(run)).toMatchObject({ end: 'stopped' });
      // Reports carry what the program sent: the server keeps a bounded amount of them.
      const kept = run.record.reports.reduce(
        (total, report) => total + JSON.stringify(report).length,
        0,
      );
      expect(kept).toBeLessThan(REPORT_BUDGET.maxTotalChars * 1.5);
    },
  },
  {
    file: 'peer-hold.py',
    class: 'peers',
    proves: 'connections held open keep nothing alive past the wall clock',
    reason: 'time-limit',
    wallSeconds: 4,
    options: () => ({ lesson: ECHO_LESSON }),
    check: (run, out) => {
      expect(Number(/holding (\d+) connections/.exec(out)![1])).toBeGreaterThan(200);
      expect(out).toContain('peer answers: still there?\n');
      expect(peerExit(run)).toMatchObject({ end: 'killed' });
      endsOnTime(run);
    },
  },
  {
    file: 'peer-garbage.py',
    class: 'peers',
    proves:
      'garbage, escapes, a 1 MiB line and resets leave the peer echoing, logging data as data',
    reason: 'completed',
    options: () => ({ lesson: ECHO_LESSON }),
    check: (run, out) => {
      expect(out).toBe('peer answers: still there?\n');
      expect(outputOf(run, 'peer:echo')).not.toContain('\x1b');
      expect(outputOf(run, 'peer:echo')).toContain('echo: received "still there?" (12 bytes)');
      expect(peerExit(run)).toMatchObject({ end: 'stopped' });
    },
  },
  {
    file: 'report-forgery.py',
    class: 'peers',
    proves: 'learner code cannot forge the reports lesson checks judge',
    reason: 'completed',
    options: () => ({ lesson: ECHO_LESSON }),
    check: (run, out) => {
      expect(out).toContain('fd 3: EBADF\n');
      expect(out).toContain('peer fds visible: []\n');
      expect(run.record.reports.every((report) => report.process === 'peer:echo')).toBe(true);
      expect(run.record.reports.some((report) => report.data === 'forged')).toBe(false);
    },
  },
  {
    file: 'client-flood.py',
    class: 'peers',
    proves: 'the test client fails cleanly against a server flooding it with garbage',
    reason: 'completed',
    options: () => ({
      lesson: { processes: [{ file: 'main.py' }, { peer: 'tcp-client', port: 8080 }] },
    }),
    check: (run, out) => {
      expect(out).toMatch(
        /^client went away after \d+ MiB: (BrokenPipeError|ConnectionResetError)\n$/,
      );
      const client = eventOf(run, 'process-exited', 'peer:tcp-client');
      expect(client).toMatchObject({ end: 'exited', exitCode: 1 });
      expect(outputOf(run, 'peer:tcp-client')).toContain('expected "hello\\n" back, but received');
      expect(run.record.reports.find((report) => report.event === 'echo')).toMatchObject({
        ok: false,
      });
    },
  },
];

/** Every case, by class. */
export const CASES: ExploitCase[] = [
  ...PROCESSES,
  ...MEMORY,
  ...OUTPUT,
  ...FILES,
  ...SECRETS,
  ...PRIVILEGES,
  ...NETWORK,
  ...TERMINAL,
  ...PEERS,
];
