import { describe, expect, it } from 'vitest';
import { CAPTURE_LAUNCH_FAILED, captureArgv, tcpdumpArgs } from './tcpdump-command.ts';

const spec = { netns: 'hs-1-2', uid: 102, gid: 109, snaplen: 1024, cgroupProcs: [] as string[] };

describe('captureArgv', () => {
  const [bash, , , flag, script] = captureArgv(spec);

  it('starts a clean bash by absolute path with one script', () => {
    expect([bash, flag]).toEqual(['/bin/bash', '-c']);
  });

  it('enters the run namespace, then drops to the capture user keeping only CAP_NET_RAW', () => {
    const exec = script!.slice(script!.indexOf('exec '));
    expect(exec).toContain('/usr/bin/nsenter --net=/run/netns/hs-1-2 -- /usr/bin/setpriv');
    for (const option of [
      '--reuid=102',
      '--regid=109',
      '--clear-groups',
      '--inh-caps=-all,+net_raw',
      '--ambient-caps=-all,+net_raw',
      '--bounding-set=-all,+net_raw',
      '--no-new-privs',
      '--pdeathsig=SIGKILL',
    ]) {
      expect(exec).toContain(` ${option} `);
    }
    expect(exec.indexOf('setpriv')).toBeLessThan(exec.indexOf('tcpdump'));
  });

  it('writes raw pcap of loopback to stdout, flushed per packet, without batching', () => {
    expect(tcpdumpArgs(1024)).toEqual([
      '/usr/bin/tcpdump',
      '-i',
      'lo',
      '-U',
      '--immediate-mode',
      '-n',
      '-s',
      '1024',
      '-w',
      '-',
    ]);
    expect(script).toMatch(/-s 1024 -w -$/);
  });

  it('closes stray fds, sets limits (no files, no core), failing closed', () => {
    expect(script).toMatch(/^for f in \/proc\/\$\$\/fd/);
    for (const limit of ['ulimit -c 0', 'ulimit -f 0', 'ulimit -n 64', 'ulimit -v 262144']) {
      expect(script).toContain(`${limit} || exit ${CAPTURE_LAUNCH_FAILED}`);
    }
  });

  it('joins the given cgroups before anything else runs, quoting their paths', () => {
    const joined = captureArgv({ ...spec, cgroupProcs: ['/sys/fs/cgroup/a b/cgroup.procs'] })[4]!;
    expect(joined).toContain(
      `echo $$ > '/sys/fs/cgroup/a b/cgroup.procs' || exit ${CAPTURE_LAUNCH_FAILED}`,
    );
    expect(joined.indexOf('cgroup.procs')).toBeLessThan(joined.indexOf('ulimit'));
  });

  it('quotes a namespace name it is handed, whatever it holds', () => {
    const odd = captureArgv({ ...spec, netns: "x'; reboot; '" })[4]!;
    expect(odd).toContain(`'--net=/run/netns/x'\\''; reboot; '\\'''`);
  });
});
