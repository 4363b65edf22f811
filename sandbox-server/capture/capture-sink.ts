/**
 * Where tcpdump's stdout goes: the pcap reader, the packet decoder, the kept pcap and the two
 * limits. Separate from the process so the limits can be tested on recorded bytes.
 */
import type { Packet } from '../../lib/packets/packet.ts';
import { PacketDecoder } from '../../lib/packets/packet-decoder.ts';
import type { Notice } from '../../lib/protocol.ts';
import { PcapReader } from '../../lib/packets/pcap-reader.ts';
import type { CaptureSummary, TruncationNotice } from './capture.ts';
import type { CaptureExit } from './capture-process.ts';
import { PcapStore } from './pcap-store.ts';

/** What the sink needs. */
export interface SinkOptions {
  onPacket: (packet: Packet) => void;
  onTruncated?: (notice: TruncationNotice) => void;
  /** Called once when a limit is hit: nothing more will be kept, so the capture can stop. */
  onLimit: () => void;
  maxPackets: number;
  maxPcapBytes: number;
  originMs?: number;
}

/** Parses, keeps and delivers one capture's stream. */
export class CaptureSink {
  readonly store: PcapStore;
  private readonly reader = new PcapReader();
  private decoder: PacketDecoder | null = null;
  private readonly options: SinkOptions;
  private delivered = 0;
  private truncated: TruncationNotice['limit'] | null = null;
  private callbackError: string | null = null;
  private leftover = 0;

  constructor(options: SinkOptions) {
    this.options = options;
    this.store = new PcapStore(options.maxPcapBytes);
  }

  /** Takes the next chunk of the pcap stream. */
  push(chunk: Uint8Array): void {
    if (this.truncated !== null) return;
    const records = this.reader.push(chunk);
    if (this.decoder === null && this.reader.header !== null) {
      this.store.add(this.reader.headerBytes!);
      const { originMs } = this.options;
      this.decoder = new PacketDecoder(this.reader.header.linkType, { originMs });
    }
    for (const record of records) {
      if (this.delivered >= this.options.maxPackets) return this.truncate('packets');
      if (!this.store.add(record.raw)) return this.truncate('bytes');
      this.delivered += 1;
      this.deliver(this.decoder!.decode(record));
    }
  }

  /** The stream has ended; a partial record left over means tcpdump was cut off mid-write. */
  end(): void {
    if (this.truncated === null) this.leftover = this.reader.leftoverBytes;
  }

  /** The summary, given how tcpdump ended. */
  summary(exit: CaptureExit): CaptureSummary {
    const cut =
      this.leftover > 0 ? `the stream ended inside a record (${this.leftover} bytes)` : null;
    return {
      packets: this.delivered,
      truncated: this.truncated,
      kernelDropped: exit.kernelDropped,
      error: this.reader.error ?? this.callbackError ?? exit.error ?? cut,
    };
  }

  private deliver(packet: Packet): void {
    try {
      this.options.onPacket(packet);
    } catch (error) {
      // A failing consumer must not stop the stream; the first failure is reported at the end.
      this.callbackError ??= `onPacket failed: ${String(error)}`;
    }
  }

  private truncate(limit: TruncationNotice['limit']): void {
    this.truncated = limit;
    const notice: Notice =
      limit === 'packets'
        ? { code: 'capture-packet-limit', params: { packets: this.options.maxPackets } }
        : { code: 'capture-byte-limit', params: { bytes: this.options.maxPcapBytes } };
    this.options.onTruncated?.({ packets: this.delivered, limit, notice });
    this.options.onLimit();
  }
}
