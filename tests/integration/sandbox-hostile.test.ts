/**
 * Runs every hostile program of tests/security through the real sandbox and asserts the exact
 * outcome: which limit ended it, what the attack could see or do, and that nothing remains.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventOf,
  expectNothingLeft,
  hostView,
  outputOf,
  runFiles,
  type TestRunOptions,
} from './sandbox-harness.ts';

const SECURITY = path.join(import.meta.dirname, '..', 'security');

function hostile(file: string, options: TestRunOptions = {}) {
  return runFiles({ 'main.py': readFileSync(path.join(SECURITY, file), 'utf8') }, options);
}

describe('hostile programs', () => {
  it('fork-bomb: stopped by the pids limit with reason process-limit', async () => {
    const run = await hostile('fork-bomb.py');
    expect(run.record.reason).toBe('process-limit');
    expect(eventOf(run, 'run-finished').message).toMatch(/too many processes: the limit of 64/);
    expectNothingLeft(run.info);
  });

  it('memory-balloon: OOM-killed by the memory cgroup with reason memory-limit', async () => {
    const run = await hostile('memory-balloon.py', { limits: { memoryBytes: 64 * 1024 * 1024 } });
    expect(run.record.reason).toBe('memory-limit');
    expect(eventOf(run, 'run-finished').message).toMatch(/memory limit of 64 MiB reached/);
    expect(eventOf(run, 'process-exited')).toMatchObject({ end: 'killed', signal: 'SIGKILL' });
    expectNothingLeft(run.info);
  });

  it('output-flood: stopped at the output limit, keeping no more than the limit', async () => {
    const limit = 64 * 1024;
    const run = await hostile('output-flood.py', { limits: { outputBytes: limit } });
    expect(run.record.reason).toBe('output-limit');
    expect(eventOf(run, 'run-finished').message).toBe(
      'output limit of 64 KiB reached: the program was stopped',
    );
    expect(Buffer.byteLength(outputOf(run, 'main.py'))).toBe(limit);
    expect(run.events.filter((event) => event.type === 'output').length).toBeLessThan(100);
    expectNothingLeft(run.info);
  });

  it('sleep-forever: ended by the wall clock with reason time-limit', async () => {
    const run = await hostile('sleep-forever.py', { limits: { wallSeconds: 1 } });
    expect(run.record.reason).toBe('time-limit');
    expect(eventOf(run, 'run-finished').message).toMatch(/^time limit of 1 s reached/);
    expect(eventOf(run, 'run-finished').durationMs).toBeLessThan(3000);
    expectNothingLeft(run.info);
  });

  it('sigstop-self: a stopped process cannot hold the run; killed at the time limit', async () => {
    const run = await hostile('sigstop-self.py', { limits: { wallSeconds: 1 } });
    expect(outputOf(run, 'main.py')).toBe('child stopped itself; waiting\n');
    expect(run.record.reason).toBe('time-limit');
    expectNothingLeft(run.info);
  });

  it('double-fork-daemon: the daemon dies with the program and the run completes', async () => {
    const run = await hostile('double-fork-daemon.py');
    expect(run.record.reason).toBe('completed');
    expect(outputOf(run, 'main.py')).toContain('parent exits');
    expect(eventOf(run, 'run-finished').durationMs).toBeLessThan(3000);
    expectNothingLeft(run.info);
  });

  it('cpu-spin: the CPU time of all its processes together ends the run with reason cpu-limit', async () => {
    const run = await hostile('cpu-spin.py', { limits: { cpuSeconds: 1, wallSeconds: 8 } });
    expect(run.record.reason).toBe('cpu-limit');
    expect(eventOf(run, 'run-finished').message).toMatch(/CPU time limit of 1 s reached/);
    expectNothingLeft(run.info);
  });

  describe('host-loopback', () => {
    let server: net.Server;
    let port = 0;
    let connections = 0;

    beforeAll(async () => {
      server = net.createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("cannot reach a service on the host's 127.0.0.1, nor any other address, nor DNS", async () => {
      const run = await hostile('host-loopback.py', { stdin: { 'main.py': `${port}\n` } });
      const out = outputOf(run, 'main.py');
      expect(out).toContain('127.0.0.1: blocked (ConnectionRefusedError)');
      expect(out).toContain('localhost: blocked (ConnectionRefusedError)');
      expect(out).toContain('1.1.1.1: blocked');
      expect(out).not.toContain('CONNECTED');
      expect(out).toContain('dns: blocked');
      expect(connections).toBe(0);
      expectNothingLeft(run.info);
    });
  });

  it('filesystem: writes only to /tmp, sees no host secrets, /tmp stops at its size', async () => {
    const run = await hostile('filesystem.py');
    const out = outputOf(run, 'main.py');
    expect(out).not.toMatch(/WRITTEN|VISIBLE/);
    expect(out).toContain('write /app/main.py: refused (30)');
    expect(out).toContain('one file: 8 MiB (errno 27)');
    expect(out).toMatch(/tmp full at 1[56] MiB \(errno 28\)/);
    expectNothingLeft(run.info);
  });

  it('kernel-surface: the seccomp filter refuses each dangerous call, ordinary Python still works', async () => {
    const out = outputOf(await hostile('kernel-surface.py'), 'main.py');
    for (const name of [
      'unshare',
      'setns',
      'mount',
      'ptrace',
      'keyctl',
      'add_key',
      'bpf',
      'shmget',
    ]) {
      expect(out).toContain(`${name}: EPERM\n`);
    }
    expect(out).toContain('perf_event_open: EPERM');
    expect(out).toContain('userfaultfd: EPERM');
    expect(out).toContain('clone_newuser: EPERM');
    expect(out).toContain('ioctl_tiocsti: EPERM');
    expect(out).toContain('io_uring_setup: ENOSYS');
    expect(out).toContain('clone3: ENOSYS');
    for (const family of ['AF_NETLINK', 'AF_PACKET', 'AF_VSOCK', 'AF_BLUETOOTH', 'AF_ALG']) {
      expect(out).toContain(`${family}: EAFNOSUPPORT`);
    }
    expect(out).toContain('pool: [1, 2]');
    expect(out).toContain("localhost: ('127.0.0.1', 8080)");
    expect(out).not.toContain('ALLOWED');
  });

  it('privileges: unprivileged slot uid, no capabilities, no new privileges, nothing inherited', async () => {
    let seen: ReturnType<typeof hostView> = [];
    const run = await hostile('privileges.py', {
      onEvent: (event, handle) => {
        if (event.type !== 'output' || !event.data.includes('waiting')) return;
        seen = hostView(handle.sandbox()!.netns);
        handle.eof('main.py');
      },
    });
    const out = outputOf(run, 'main.py');
    expect(out).toContain('uid 1000 1000 gid 1000');
    expect(out).toContain(
      'CapEff 0000000000000000 CapPrm 0000000000000000 CapBnd 0000000000000000',
    );
    expect(out).toContain('NoNewPrivs 1');
    expect(out).toContain('fds [0, 1, 2, 3]');
    expect(out).toContain(
      "env ['HOME', 'LANG', 'MALLOC_ARENA_MAX', 'PATH', 'PWD', 'PYTHONDONTWRITEBYTECODE', 'PYTHONIOENCODING', 'PYTHONUNBUFFERED']",
    );
    expect(out).toMatch(/unshare user: refused/);
    expect(out).not.toContain('ALLOWED');
    // From the host: every process of the run is the slot's unprivileged uid, with no capabilities.
    expect(seen.length).toBeGreaterThan(0);
    for (const process of seen) {
      expect(process.uid).toBe(run.info.learnerUid);
      expect(process.capEff).toBe('0000000000000000');
    }
    expect(seen.map((process) => process.uidMap)).toContain(`1000 ${run.info.learnerUid} 1`);
    expectNothingLeft(run.info);
  });
});
