/**
 * A run's packet capture: tcpdump on the loopback of the run's network namespace (and so only
 * that run's packets), its pcap stream parsed as it arrives into `Packet`s for the browser, and
 * kept (bounded) for download. Bounded twice: a packet cap for the events and a byte cap for the
 * kept pcap; the first one hit ends the capture with a single notice, so a flood never grows
 * memory. Start it, await readiness, then start the run's processes: packets sent before
 * tcpdump listens are not seen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Packet } from '../../lib/packets/packet.ts';
import type { Notice } from '../../lib/protocol.ts';
import { launcherEnv } from '../jail/host-tools.ts';
import { CAPTURE_DEFAULTS } from './capture-limits.ts';
import { captureUser } from './capture-user.ts';
import { CaptureProcess } from './capture-process.ts';
import { CaptureSink } from './capture-sink.ts';
import { captureArgv } from './tcpdump-command.ts';

/** The single notice of a capture that hit a limit. */
export interface TruncationNotice {
  /** Packets delivered before the limit. */
  packets: number;
  limit: 'packets' | 'bytes';
  /** Which limit, with its value, for the learner. */
  notice: Notice;
}

/** How to capture. */
export interface CaptureOptions {
  /** Called with each packet, in order. */
  onPacket: (packet: Packet) => void;
  /** Called once if a limit stops the capture. */
  onTruncated?: (notice: TruncationNotice) => void;
  maxPackets?: number;
  maxPcapBytes?: number;
  snaplen?: number;
  /** Time zero of packet times, in ms since the epoch (the run's start); default: first packet. */
  originMs?: number;
  /** cgroup.procs files tcpdump joins before it starts (to hold it to the run's limits). */
  cgroupProcs?: string[];
  /** Account tcpdump runs as; default captureUser(). */
  user?: { uid: number; gid: number };
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/** What a finished capture saw. */
export interface CaptureSummary {
  /** Packets delivered to onPacket. */
  packets: number;
  truncated: TruncationNotice['limit'] | null;
  /** Packets the kernel dropped because tcpdump fell behind, as tcpdump counted them. */
  kernelDropped: number | null;
  /** A problem with the stream (not a pcap, corrupt), or tcpdump failing; null when all went well. */
  error: string | null;
}

/** A finished capture as a file: what the CLI writes and the front keeps for download. */
export interface CaptureFile {
  /** A whole pcap file: the header, then whole records (link type as captured). */
  bytes: Uint8Array;
  /** Records in the file. */
  packets: number;
  /** The capture stopped at a limit. */
  truncated: boolean;
}

/** A running capture. */
export interface Capture {
  /** Milliseconds tcpdump took from spawn to listening. */
  readonly readyMs: number;
  /** tcpdump's pid (for tests and logs). */
  readonly pid: number;
  /** Stops tcpdump, waits until it has flushed and exited and every packet is delivered. */
  stop(): Promise<CaptureSummary>;
  /** The capture so far as a pcap file (bounded by maxPcapBytes). */
  pcap(): Uint8Array;
}

/**
 * Starts capturing in the network namespace `netns` (a name under /run/netns); resolves once
 * tcpdump listens, rejects if it cannot start (then nothing is left running).
 */
export async function startCapture(netns: string, options: CaptureOptions): Promise<Capture> {
  const user = options.user ?? captureUser();
  const argv = captureArgv({
    netns,
    uid: user.uid,
    gid: user.gid,
    snaplen: options.snaplen ?? CAPTURE_DEFAULTS.snaplen,
    cgroupProcs: options.cgroupProcs ?? [],
  });
  const started = performance.now();
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: launcherEnv(),
    detached: true, // stopped by its run, not by a Ctrl-C to the server's terminal
  });
  const tcpdump = new CaptureProcess(
    child,
    options.stopTimeoutMs ?? CAPTURE_DEFAULTS.stopTimeoutMs,
  );
  const sink = new CaptureSink({
    ...options,
    maxPackets: options.maxPackets ?? CAPTURE_DEFAULTS.maxPackets,
    maxPcapBytes: options.maxPcapBytes ?? CAPTURE_DEFAULTS.maxPcapBytes,
    onLimit: () => tcpdump.interrupt(),
  });
  child.stdout!.on('data', (chunk: Buffer) => sink.push(chunk));
  await tcpdump.ready(options.readyTimeoutMs ?? CAPTURE_DEFAULTS.readyTimeoutMs);
  const readyMs = performance.now() - started;
  return {
    readyMs,
    pid: child.pid!,
    pcap: () => sink.store.bytes(),
    stop: async () => {
      const exit = await tcpdump.stop();
      sink.end();
      return sink.summary(exit);
    },
  };
}
