/**
 * Turns pcap records into `Packet`s: decodes each frame, times it against an origin, tracks
 * its flow and adds a safe preview. Stateful (numbering, flows), so one decoder per capture.
 */
import { decodeFrame, type DecodedFrame } from './decode-frame.ts';
import { FlowTracker } from './flows.ts';
import type { Packet } from './packet.ts';
import type { PcapRecord } from './pcap-reader.ts';
import { safePreview } from './preview.ts';
import { describeTls } from './tls-records.ts';

/** Options of a decoder. */
export interface DecoderOptions {
  /** Time zero, in ms since the epoch (e.g. when the run started); default: the first packet. */
  originMs?: number;
}

/** Decodes the records of one capture, in order. */
export class PacketDecoder {
  /** Flows seen so far. */
  readonly flows = new FlowTracker();
  private readonly linkType: number;
  private origin: { sec: number; nsec: number } | null = null;
  private count = 0;

  constructor(linkType: number, options: DecoderOptions = {}) {
    this.linkType = linkType;
    if (options.originMs !== undefined) {
      const sec = Math.floor(options.originMs / 1000);
      this.origin = { sec, nsec: Math.round((options.originMs - sec * 1000) * 1e6) };
    }
  }

  /** The packet of the next record. */
  decode(record: PcapRecord): Packet {
    this.count += 1;
    this.origin ??= { sec: record.sec, nsec: record.nsec };
    const ms = (record.sec - this.origin.sec) * 1000 + (record.nsec - this.origin.nsec) / 1e6;
    const frame = decodeFrame(this.linkType, record.data, record.origLen);
    return this.packet(frame, this.count, Math.round(ms * 1000) / 1000);
  }

  private packet(frame: DecodedFrame, n: number, t: number): Packet {
    const packet: Packet = {
      n,
      t,
      proto: frame.proto,
      src: frame.src,
      dst: frame.dst,
      len: frame.len,
    };
    if (frame.sport !== undefined) packet.sport = frame.sport;
    if (frame.dport !== undefined) packet.dport = frame.dport;
    if (frame.tcp) packet.flags = frame.tcp.flags;
    Object.assign(packet, this.flows.observe(frame));
    if (frame.icmp) {
      packet.icmp = frame.icmp.text;
      const quoted = frame.icmp.quoted;
      const conn =
        quoted &&
        this.flows.find(quoted.protocol, quoted.src, quoted.sport, quoted.dst, quoted.dport);
      if (conn !== undefined) packet.conn = conn;
    }
    if (frame.payload && frame.payload.length > 0) packet.preview = safePreview(frame.payload);
    const tls = frame.tcp && frame.payload ? describeTls(frame.payload) : undefined;
    if (tls !== undefined) packet.tls = tls;
    if (frame.bad !== undefined) packet.bad = frame.bad;
    return packet;
  }
}
