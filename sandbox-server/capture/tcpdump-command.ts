/**
 * The command line of a run's capture, as a pure function. tcpdump reads packets that hostile
 * learner code can craft, so it never runs as root: bash (root) closes stray fds, joins the
 * given cgroup and sets rlimits; nsenter (root) enters the run's network namespace; setpriv
 * drops to an unprivileged uid keeping only CAP_NET_RAW (to open the packet socket), with no
 * new privileges and a parent-death signal; then tcpdump writes raw pcap to stdout. With `-w`
 * it dissects nothing, so the only parser of the packets is ours, in memory-safe TypeScript.
 */
import { HOST_TOOLS } from '../jail/host-tools.ts';
import { closeFdsScript, shellQuote } from '../jail/launch-command.ts';
import { netnsPath } from '../jail/netns.ts';

/** Debian's tcpdump, by absolute path like every host tool. */
export const TCPDUMP = '/usr/bin/tcpdump';

/** What the capture command depends on. */
export interface TcpdumpSpec {
  netns: string;
  uid: number;
  gid: number;
  snaplen: number;
  /** cgroup.procs files to join before exec (the run's limits), if any. */
  cgroupProcs: string[];
}

/** Exit status of the wrapper when joining the cgroup or setting a limit failed. */
export const CAPTURE_LAUNCH_FAILED = 125;

// tcpdump maps a ring of a few MiB; 256 MiB of address space is ample and bounds a runaway.
const LIMITS = ['-c 0', '-f 0', '-n 64', `-v ${256 * 1024}`];

/** The tcpdump arguments: loopback, flushed per packet, delivered without batching, to stdout. */
export function tcpdumpArgs(snaplen: number): string[] {
  return [TCPDUMP, '-i', 'lo', '-U', '--immediate-mode', '-n', '-s', String(snaplen), '-w', '-'];
}

/** The argv (program first) that starts the capture. */
export function captureArgv(spec: TcpdumpSpec): string[] {
  const id = (value: number): string => String(Math.trunc(value));
  const chain = [
    HOST_TOOLS.nsenter,
    `--net=${netnsPath(spec.netns)}`,
    '--',
    HOST_TOOLS.setpriv,
    `--reuid=${id(spec.uid)}`,
    `--regid=${id(spec.gid)}`,
    '--clear-groups',
    '--inh-caps=-all,+net_raw',
    '--ambient-caps=-all,+net_raw',
    '--bounding-set=-all,+net_raw',
    '--no-new-privs',
    // If the server dies, its capture must not outlive it (a tcpdump also pins the namespace).
    '--pdeathsig=SIGKILL',
    '--',
    ...tcpdumpArgs(spec.snaplen),
  ];
  const script = [
    closeFdsScript([]),
    ...spec.cgroupProcs.map((file) => `echo $$ > ${shellQuote(file)}`),
    ...LIMITS.map((limit) => `ulimit ${limit}`),
  ]
    .map((step, index) => (index === 0 ? step : `${step} || exit ${CAPTURE_LAUNCH_FAILED}`))
    .concat(`exec ${chain.map(shellQuote).join(' ')}`)
    .join('; ');
  return [HOST_TOOLS.bash, '--norc', '--noprofile', '-c', script];
}
