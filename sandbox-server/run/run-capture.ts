/**
 * A run's packet capture as the run uses it: tcpdump started in the run's namespace (in its own
 * cgroup leaf, so killing the run's processes leaves it running to record their FIN/RST),
 * each packet labelled with the processes owning its ports and emitted as a `packet` event,
 * a bounded copy kept for the run's record, and one `capture-truncated` notice. A capture that
 * cannot start is logged and the run goes on without packets: it never fails a run.
 */
import type { RecordedPacket } from '../../lib/lessons/define.ts';
import type { Packet } from '../../lib/packets/packet.ts';
import type { RunEvent } from '../../lib/protocol.ts';
import {
  startCapture,
  type Capture,
  type CaptureSummary,
  type TruncationNotice,
} from '../capture/capture.ts';
import type { RunCgroups } from '../jail/cgroups/types.ts';
import { PortOwners, type OwnerCandidate } from './port-owners.ts';

/** Whether and how much to capture. */
export interface CaptureSettings {
  enabled: boolean;
  maxPackets?: number;
  maxPcapBytes?: number;
}

/**
 * Packets kept in the run's record for the checks (the events carry up to the capture's limit):
 * a crowd of 100 clients makes ~1,500, and a client running beside it must still be judged.
 */
export const MAX_RECORD_PACKETS = 4000;

/** The cgroup leaf tcpdump runs in: with the peers (trusted), never with learner code. */
export const CAPTURE_LEAF = 'capture';

/** What a run capture needs from its run. */
export interface RunCaptureContext {
  runId: string;
  netns: string;
  cgroups: RunCgroups;
  /** performance.now() when the run started: packet times count from there. */
  startedAt: number;
  processes: () => OwnerCandidate[];
  emit: (event: RunEvent) => void;
  log: (message: string, error?: unknown) => void;
}

/** The capture of one run. */
export class RunCapture {
  /** The first packets, labelled, for the run's record. */
  readonly packets: RecordedPacket[] = [];
  readonly owners: PortOwners;
  private readonly context: RunCaptureContext;
  private capture: Capture | null = null;

  private constructor(context: RunCaptureContext) {
    this.context = context;
    this.owners = new PortOwners(context.processes, () => this.capture?.pid);
  }

  /** Starts capturing and resolves once tcpdump listens; null when off or when it failed. */
  static async start(
    settings: CaptureSettings,
    context: RunCaptureContext,
  ): Promise<RunCapture | null> {
    if (!settings.enabled) return null;
    const run = new RunCapture(context);
    try {
      const leaf = context.cgroups.addProcess('peer', CAPTURE_LEAF);
      run.capture = await startCapture(context.netns, {
        originMs: Date.now() - (performance.now() - context.startedAt),
        cgroupProcs: leaf.procsFiles,
        maxPackets: settings.maxPackets,
        maxPcapBytes: settings.maxPcapBytes,
        onPacket: (packet) => run.onPacket(packet),
        onTruncated: (notice) =>
          context.emit({ type: 'capture-truncated', runId: context.runId, ...notice }),
      });
      return run;
    } catch (error) {
      context.log('starting the packet capture (the run goes on without it)', error);
      return null;
    }
  }

  /**
   * Takes over a capture started ahead with a sandbox made before its run (PendingCapture):
   * no wait for tcpdump, and its packets are timed from this run's start from now on.
   */
  static adopt(pending: PendingCapture, context: RunCaptureContext): RunCapture {
    const run = new RunCapture(context);
    run.capture = pending.capture;
    const runOriginMs = Date.now() - (performance.now() - context.startedAt);
    pending.attach({
      shiftMs: pending.originMs - runOriginMs,
      packet: (packet) => run.onPacket(packet),
      truncated: (notice) =>
        context.emit({ type: 'capture-truncated', runId: context.runId, ...notice }),
    });
    return run;
  }

  /** The capture so far as a pcap file. */
  pcap(): Uint8Array {
    return this.capture?.pcap() ?? new Uint8Array();
  }

  /** Stops tcpdump once every packet is delivered; never throws. */
  async stop(): Promise<CaptureSummary | null> {
    if (!this.capture) return null;
    try {
      const summary = await this.capture.stop();
      if (summary.error) this.context.log('the packet capture', summary.error);
      return summary;
    } catch (error) {
      this.context.log('stopping the packet capture', error);
      return null;
    }
  }

  private onPacket(packet: Packet): void {
    const [srcOwner, dstOwner] = this.owners.ends(
      packet.proto,
      packet.sport,
      packet.dport,
      packet.t,
    );
    const labelled: RecordedPacket = {
      ...packet,
      ...(srcOwner === undefined ? {} : { srcOwner }),
      ...(dstOwner === undefined ? {} : { dstOwner }),
    };
    if (this.packets.length < MAX_RECORD_PACKETS) this.packets.push(labelled);
    this.context.emit({ type: 'packet', runId: this.context.runId, ...labelled });
  }
}

/** Where a pending capture's packets go once a run has adopted it. */
interface CaptureTarget {
  /** Added to each packet's time: the capture's time zero minus the run's. */
  shiftMs: number;
  packet(packet: Packet): void;
  truncated(notice: TruncationNotice): void;
}

/**
 * A capture started in a sandbox made ahead of its run (run/warm-sandboxes.ts), so the run need
 * not wait ~40 ms for tcpdump. Until a run adopts it, the few packets it may see are held.
 */
export class PendingCapture {
  readonly capture: Capture;
  /** Time zero of its packet times, in ms since the epoch. */
  readonly originMs: number;
  private target: CaptureTarget | null = null;
  private held: Array<Packet | TruncationNotice> = [];

  private constructor(capture: Capture, originMs: number) {
    this.capture = capture;
    this.originMs = originMs;
  }

  /** Starts tcpdump in `netns`, in the capture leaf of `cgroups`; resolves once it listens. */
  static async start(
    settings: CaptureSettings,
    netns: string,
    cgroups: RunCgroups,
  ): Promise<PendingCapture> {
    const originMs = Date.now();
    const router = { pending: null as PendingCapture | null, early: [] as Packet[] };
    const capture = await startCapture(netns, {
      originMs,
      cgroupProcs: cgroups.addProcess('peer', CAPTURE_LEAF).procsFiles,
      maxPackets: settings.maxPackets,
      maxPcapBytes: settings.maxPcapBytes,
      // Packets before the constructor below has run (none are expected: nothing runs yet).
      onPacket: (packet) => {
        if (router.pending) router.pending.deliver(packet);
        else router.early.push(packet);
      },
      onTruncated: (notice) => router.pending?.deliver(notice),
    });
    const pending = new PendingCapture(capture, originMs);
    pending.held.push(...router.early);
    router.pending = pending;
    return pending;
  }

  /** Sends what was held to `target`, then everything as it comes. */
  attach(target: CaptureTarget): void {
    this.target = target;
    for (const item of this.held.splice(0)) this.deliver(item);
  }

  private deliver(item: Packet | TruncationNotice): void {
    const target = this.target;
    if (!target) return void this.held.push(item);
    if (!('n' in item)) return target.truncated(item);
    target.packet({ ...item, t: Math.round((item.t + target.shiftMs) * 1000) / 1000 });
  }
}
