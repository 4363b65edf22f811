import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';
import type { UiText } from '../../_i18n/ui-text.ts';

/** The words for what fault peers did to a packet (`lost`, `delayed 40 ms`), each once. */
export function faultTags(packet: WirePacket, t: UiText): string[] {
  if (!packet.faults?.length) return packet.dropped ? [t.wire.dropped] : [];
  return [...new Set(packet.faults.map((mark) => t.wire.faultTag(mark.action, mark.delayMs)))];
}
