/**
 * What one planned process runs with inside the jail, as a pure function: the learner's Python
 * (slot learner uid, all limits, the sources under /app) or a peer (slot peer uid, Node without
 * an address-space limit, which V8 cannot live with: nsjail#76; the cgroup bounds its memory).
 */
import { existsSync } from 'node:fs';
import type { SourceFile } from '../../lib/protocol.ts';
import { etcFiles, HOST_ETC_FILES, type DataFile } from '../jail/etc-files.ts';
import { HOST_TOOLS, peerNodeBinary } from '../jail/host-tools.ts';
import type { JailedSpec } from '../jail/spawn-jailed.ts';
import { addressSpaceBytes, PEER_PIDS, type RunLimitsConfig } from '../limits.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import {
  learnerTlsFiles,
  peerCaFile,
  peerTlsFiles,
  type CertificateKind,
  type RunPki,
} from './run-pki.ts';

/** What every process of one run shares. */
export interface RunContext {
  netnsPath: string;
  learnerUid: number;
  peerUid: number;
  limits: RunLimitsConfig;
  files: SourceFile[];
  /** The bundled peer program (needed when the run has peers). */
  peerBundle?: string;
  /** Compiled seccomp filter for learner processes, when available. */
  seccomp?: Buffer;
  /** The run's certificates, when a peer speaks TLS (the learner gets /app/ca.pem). */
  pki?: RunPki;
}

/** Threads and helper processes of bwrap itself, on top of the program's own allowance. */
const LAUNCHER_TASKS = 16;

const BASE_ENV = { PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };

/** The jail spec of one process (without its cgroup files, added when its leaf exists). */
export function processSpec(
  planned: PlannedProcess,
  context: RunContext,
): Omit<JailedSpec, 'cgroupProcs'> {
  return planned.kind === 'learner'
    ? learnerSpec(planned.file!, context)
    : peerSpec(planned, context);
}

/**
 * The jail spec of a warm Python (jail/pywarm.ts): the learner's, command line included, but
 * /app is the host's app directory bound read-only instead of the sources from fds.
 */
export function warmLearnerSpec(
  file: string,
  context: RunContext,
  appDir: string,
): Omit<JailedSpec, 'cgroupProcs'> {
  // The run's files and certificates go into the app directory itself (jail/pywarm.ts).
  const spec = learnerSpec(file, { ...context, files: [], pki: undefined });
  return { ...spec, roBinds: [...spec.roBinds, { source: appDir, dest: '/app' }] };
}

function learnerSpec(file: string, context: RunContext): Omit<JailedSpec, 'cgroupProcs'> {
  const { limits } = context;
  const sources: DataFile[] = context.files.map((source) => ({
    path: `/app/${source.name}`,
    content: source.content,
  }));
  return {
    uid: context.learnerUid,
    netnsPath: context.netnsPath,
    rlimits: {
      cpuSeconds: limits.cpuSeconds,
      addressSpaceBytes: addressSpaceBytes(limits),
      fileSizeBytes: limits.fileSizeBytes,
      openFiles: limits.openFiles,
      processes: limits.pids + LAUNCHER_TASKS,
    },
    tmpBytes: limits.tmpBytes,
    shmBytes: Math.max(64 * 1024, Math.floor(limits.tmpBytes / 2)),
    dataFiles: [
      ...etcFiles('learner'),
      ...sources,
      ...(context.pki ? learnerTlsFiles(context.pki) : []),
    ],
    roBinds: hostEtcBinds(),
    chdir: '/app',
    env: {
      ...BASE_ENV,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONIOENCODING: 'utf-8',
      // glibc gives each thread its own 64 MiB arena reservation: under RLIMIT_AS a dozen
      // threads would exhaust the address space long before the pids limit counts them.
      MALLOC_ARENA_MAX: '2',
    },
    // -E -s (not -I): -I also drops the script's directory from sys.path, which would break
    // `import helper` between the learner's own files; /app is read-only and holds only them.
    command: [HOST_TOOLS.python, '-E', '-s', '-u', `/app/${file}`],
    seccomp: context.seccomp,
    reports: false,
  };
}

function peerSpec(planned: PlannedProcess, context: RunContext): Omit<JailedSpec, 'cgroupProcs'> {
  if (context.peerBundle === undefined) throw new Error('the peer bundle was not built');
  const node = nodeInside();
  return {
    uid: context.peerUid,
    netnsPath: context.netnsPath,
    rlimits: { fileSizeBytes: 1024 * 1024, openFiles: 1024, processes: PEER_PIDS + LAUNCHER_TASKS },
    tmpBytes: 1024 * 1024,
    shmBytes: 64 * 1024,
    dataFiles: [
      ...etcFiles('peer'),
      { path: '/peer/main.mjs', content: context.peerBundle },
      ...tlsFiles(planned, context),
    ],
    roBinds: [...hostEtcBinds(), ...node.binds],
    chdir: '/tmp',
    env: { ...BASE_ENV },
    command: [node.path, '--max-old-space-size=96', '/peer/main.mjs', JSON.stringify(planned.peer)],
    reports: true,
  };
}

/**
 * A tls-server's certificate and key, or a tls-client's CA, as read-only files of its own
 * sandbox only.
 */
function tlsFiles(planned: PlannedProcess, context: RunContext): DataFile[] {
  const peer = planned.peer?.peer;
  if (peer !== 'tls-server' && peer !== 'tls-client') return [];
  if (!context.pki) throw new Error(`a ${peer} needs the run’s certificates`);
  if (peer === 'tls-client') return [peerCaFile(context.pki)];
  const kind = (planned.peer!.options as { certificate: CertificateKind }).certificate;
  return peerTlsFiles(context.pki, kind);
}

/** The server's node binary as seen inside: under /usr it is already there, else it is bound in. */
function nodeInside(): { path: string; binds: Array<{ source: string; dest: string }> } {
  const host = peerNodeBinary();
  if (host.startsWith('/usr/')) return { path: host, binds: [] };
  return { path: '/opt/node/bin/node', binds: [{ source: host, dest: '/opt/node/bin/node' }] };
}

let etcBinds: Array<{ source: string; dest: string }> | undefined;

function hostEtcBinds(): Array<{ source: string; dest: string }> {
  etcBinds ??= HOST_ETC_FILES.filter((file) => existsSync(file)).map((file) => ({
    source: file,
    dest: file,
  }));
  return etcBinds;
}
