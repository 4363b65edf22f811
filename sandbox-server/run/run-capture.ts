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
import { startCapture, type Capture, type CaptureSummary } from '../capture/capture.ts';
import type { RunCgroups } from '../jail/cgroups/types.ts';
import { PortOwners, type OwnerCandidate } from './port-owners.ts';

/** Whether and how much to capture. */
export interface CaptureSettings {
  enabled: boolean;
  maxPackets?: number;
  maxPcapBytes?: number;
}

/** Packets kept in the run's record for the checks (the events carry them all). */
export const MAX_RECORD_PACKETS = 500;

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
