/**
 * Starts one sandboxed process: the launcher chain (launch-command.ts) with bwrap's options and
 * every file the sandbox sees passed as inherited fds, written from memory. stdio are pipes
 * (never a pty). The returned child is the outer bwrap; the program runs two levels below it.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { bwrapOptions, encodeArgs, type FdFile } from './bwrap-args.ts';
import type { DataFile } from './etc-files.ts';
import { launcherEnv } from './host-tools.ts';
import { launchArgv, launchScript, type LaunchSpec, type Rlimits } from './launch-command.ts';
import { WARM_DATA_FDS } from './launcher-pool.ts';

/** What one sandboxed process needs. */
export interface JailedSpec {
  uid: number;
  netnsPath: string;
  /** cgroup.procs files of the process's leaf groups. */
  cgroupProcs: string[];
  rlimits: Rlimits;
  tmpBytes: number;
  shmBytes: number;
  /** Files created read-only inside from memory (synthetic /etc, sources, the peer bundle). */
  dataFiles: DataFile[];
  roBinds: Array<{ source: string; dest: string }>;
  chdir: string;
  env: Record<string, string>;
  command: string[];
  /** Compiled seccomp BPF to apply, if any. */
  seccomp?: Buffer;
  /** Open fd 3 as a report channel (peers). */
  reports: boolean;
}

/** A started sandboxed process. */
export interface JailedProcess {
  /** The outer bwrap (its exit is the program's exit). */
  child: ChildProcess;
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** fd 3 of the program, when `reports` was asked for. */
  reports: Readable | null;
}

/** fd of the report channel inside the sandbox. */
const REPORT_FD = 3;
/** First fd carrying data for bwrap (fd 3 is the report channel or left closed). */
const FIRST_DATA_FD = 4;

/**
 * Starts the process, through `warm` (an idle launcher from the pool) when given, else through a
 * freshly spawned bash; throws only if the launcher itself cannot be spawned.
 */
export function spawnJailed(spec: JailedSpec, warm?: ChildProcess | null): JailedProcess {
  const payloads: Buffer[] = [];
  const nextFd = (payload: Buffer): number => {
    payloads.push(payload);
    return FIRST_DATA_FD + payloads.length - 1;
  };
  const argsFd = nextFd(Buffer.alloc(0));
  const fdFiles: FdFile[] = spec.dataFiles.map((file) => ({
    fd: nextFd(Buffer.from(file.content, 'utf8')),
    path: file.path,
  }));
  const seccompFd = spec.seccomp ? nextFd(spec.seccomp) : undefined;
  payloads[0] = encodeArgs(
    bwrapOptions({
      fdFiles,
      roBinds: spec.roBinds,
      tmpBytes: spec.tmpBytes,
      shmBytes: spec.shmBytes,
      chdir: spec.chdir,
      env: spec.env,
      seccompFd,
    }),
  );
  const launch: LaunchSpec = {
    cgroupProcs: spec.cgroupProcs,
    rlimits: spec.rlimits,
    netnsPath: spec.netnsPath,
    uid: spec.uid,
    argsFd,
    keepFds: keptFds(spec.reports, payloads.length),
    command: spec.command,
  };
  const child =
    warm && payloads.length <= WARM_DATA_FDS
      ? startWarm(warm, launch)
      : startCold(launch, spec.reports, payloads.length);
  feedPayloads(child, payloads);
  return {
    child,
    stdin: child.stdin!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    reports: spec.reports ? (child.stdio[REPORT_FD] as Readable) : null,
  };
}

function startCold(launch: LaunchSpec, reports: boolean, payloadCount: number): ChildProcess {
  const argv = launchArgv(launch);
  const stdio: StdioOptions = ['pipe', 'pipe', 'pipe', reports ? 'pipe' : 'ignore'];
  for (let i = 0; i < payloadCount; i++) stdio.push('pipe');
  // Its own process group: a Ctrl-C to the server's terminal must not kill a jail behind the
  // server's back (the server tears its runs and warm sandboxes down itself).
  return spawn(argv[0]!, argv.slice(1), { stdio, env: launcherEnv(), detached: true });
}

/** Hands the launch line to a waiting launcher; the fds it does not need are closed on both sides. */
function startWarm(warm: ChildProcess, launch: LaunchSpec): ChildProcess {
  warm.ref();
  const kept = new Set([0, 1, 2, ...launch.keepFds]);
  warm.stdio.forEach((stream, fd) => {
    if (!stream) return;
    if (kept.has(fd)) (stream as { ref?: () => void }).ref?.();
    else stream.destroy();
  });
  warm.stdin!.write(`${launchScript(launch)}\n`);
  return warm;
}

/** fds the chain inherits on purpose: the report channel and bwrap's data fds. */
function keptFds(reports: boolean, payloadCount: number): number[] {
  const data = Array.from({ length: payloadCount }, (_, index) => FIRST_DATA_FD + index);
  return reports ? [REPORT_FD, ...data] : data;
}

/** Writes each payload to its fd and closes it, so bwrap reads it to EOF. */
function feedPayloads(child: ChildProcess, payloads: Buffer[]): void {
  payloads.forEach((payload, index) => {
    const stream = child.stdio[FIRST_DATA_FD + index] as Writable | null;
    if (!stream || stream.destroyed) return;
    // If the launcher dies early the write fails with EPIPE; its exit status tells the story.
    stream.on('error', () => {});
    stream.end(payload);
  });
}
