/** Parses a whole pcap file held in memory (a lesson's recorded capture, a test fixture). */
import type { Flow } from './flows.ts';
import type { Packet } from './packet.ts';
import { PacketDecoder, type DecoderOptions } from './packet-decoder.ts';
import { PcapReader } from './pcap-reader.ts';

/** Everything a pcap file held. */
export interface ParsedPcap {
  linkType: number | null;
  packets: Packet[];
  flows: readonly Flow[];
  /** Why reading stopped early (not a pcap, corrupt record length); null when it did not. */
  error: string | null;
  /** Bytes of an unfinished record at the end (a truncated file). */
  leftoverBytes: number;
}

/** Parses `bytes` as a classic pcap file; never throws. */
export function parsePcap(bytes: Uint8Array, options: DecoderOptions = {}): ParsedPcap {
  const reader = new PcapReader();
  const records = reader.push(bytes);
  const decoder = reader.header ? new PacketDecoder(reader.header.linkType, options) : null;
  const packets = decoder ? records.map((record) => decoder.decode(record)) : [];
  return {
    linkType: reader.header?.linkType ?? null,
    packets,
    flows: decoder ? decoder.flows.flows() : [],
    error: reader.error,
    leftoverBytes: reader.leftoverBytes,
  };
}
