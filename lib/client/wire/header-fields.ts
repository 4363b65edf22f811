/**
 * The full header of one packet as the hover card and the table show it: every field that
 * applies, in the order Wireshark's detail pane lists them. Values are text; labels are keys the
 * UI words in the page language, and so are the fault peers' notes (`say`).
 */
import { renderNotice } from '../../notices/catalog.ts';
import type { FaultNote } from '../../protocol.ts';
import { defaultOwnerLabel, destinationOf, hostPort, sourceOf } from './endpoints.ts';
import type { OwnerLabeler } from './endpoints.ts';
import { flagText } from './flags.ts';
import { formatTime } from './format.ts';
import type { WirePacket } from './wire-packet.ts';

/** The fields a header card can show. */
export type HeaderKey =
  | 'frame'
  | 'time'
  | 'protocol'
  | 'from'
  | 'to'
  | 'flags'
  | 'seq'
  | 'ack'
  | 'window'
  | 'length'
  | 'mss'
  | 'wscale'
  | 'options'
  | 'phase'
  | 'states'
  | 'icmp'
  | 'tls'
  | 'preview'
  | 'problem'
  | 'fault';

/** One line of a header card. */
export interface HeaderField {
  key: HeaderKey;
  value: string;
}

/** Every field of `packet` that applies to it; owners are named by `labelOf`, faults by `say`. */
export function headerFields(
  packet: WirePacket,
  labelOf: OwnerLabeler = defaultOwnerLabel,
  say: (note: FaultNote) => string = (note) => renderNotice(note, 'en'),
): HeaderField[] {
  const fields: HeaderField[] = [];
  const add = (key: HeaderKey, value: string | number | undefined) => {
    if (value !== undefined && value !== '') fields.push({ key, value: String(value) });
  };
  const src = sourceOf(packet);
  const dst = destinationOf(packet);
  add('frame', packet.n);
  add('time', formatTime(packet.t));
  add('protocol', packet.proto.toUpperCase());
  const owned = (address: string, owner: string | undefined) =>
    owner === undefined ? address : `${labelOf(owner)} (${address})`;
  add('from', owned(hostPort(src.addr, src.port), packet.srcOwner));
  add('to', owned(hostPort(dst.addr, dst.port), packet.dstOwner));
  add('flags', flagText(packet.flags));
  add('seq', packet.seq);
  add('ack', packet.ack);
  add('window', packet.win);
  add('length', packet.len);
  add('mss', packet.mss);
  add('wscale', packet.wscale);
  if (packet.optLen) add('options', packet.optLen);
  add('phase', packet.phase);
  add('states', states(packet));
  add('icmp', packet.icmp);
  add('tls', packet.tls);
  add('preview', packet.preview);
  add('problem', packet.bad);
  // What each fault peer did to this packet, and why it is here, as its terminal says it.
  add(
    'fault',
    packet.faults?.map((mark) => `${labelOf(mark.process)}: ${say(mark.note)}`).join('\n'),
  );
  return fields;
}

function states(packet: WirePacket): string {
  if (packet.srcState === undefined && packet.dstState === undefined) return '';
  return `${packet.srcState ?? '·'} → ${packet.dstState ?? '·'}`;
}
