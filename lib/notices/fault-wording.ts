/**
 * The words for what a fault peer (udp-relay, tcp-proxy) did to one datagram or segment: the
 * line in the peer's terminal and the Fault row of the packet's header card. Part of the notice
 * catalog (catalog.ts), kept apart because these read as a peer's log, not as the server's voice.
 */
import type { FaultNote, Lang } from '../protocol.ts';
import { plural } from './units.ts';

type FaultCode = FaultNote['code'];
type ParamsOf<C extends FaultCode> = Extract<FaultNote, { code: C }>['params'];

/** Every fault note's wording, in every language. */
export type FaultWording = { [C in FaultCode]: Record<Lang, (params: ParamsOf<C>) => string> };

const datagram = (p: { index: number; from: string; bytes: number }): string =>
  `datagram #${p.index} from ${p.from} (${plural(p.bytes, 'byte')})`;
const segment = (p: { index: number; from: string; bytes: number }): string =>
  `segment #${p.index} from ${p.from} (${plural(p.bytes, 'byte')})`;
const wayEn = (p: { toward: string; back: boolean }): string =>
  `on its way ${p.back ? 'back ' : ''}to ${p.toward}`;

const datagramZh = (p: { index: number; from: string; bytes: number }): string =>
  `来自 ${p.from} 的第 ${p.index} 个数据报（${p.bytes} 字节）`;
const segmentZh = (p: { index: number; from: string; bytes: number }): string =>
  `来自 ${p.from} 的第 ${p.index} 个数据段（${p.bytes} 字节）`;
const wayZh = (p: { toward: string; back: boolean }): string =>
  `${p.back ? '它正返回' : '它正发往'} ${p.toward}`;

export const FAULT_WORDING: FaultWording = {
  'fault-datagram-dropped': {
    en: (p) =>
      `dropped ${datagram(p)}, ${wayEn(p)}${p.queueFull ? ": the relay's queue is full (bandwidth limit)" : ''}`,
    zh: (p) =>
      `丢弃了${datagramZh(p)}，${wayZh(p)}${p.queueFull ? '：中继的队列已满（带宽限制）' : ''}`,
  },
  'fault-datagram-duplicated': {
    en: (p) => `sent ${datagram(p)} twice, ${wayEn(p)}`,
    zh: (p) => `把${datagramZh(p)}发送了两次，${wayZh(p)}`,
  },
  'fault-datagram-delayed': {
    en: (p) => `delayed ${datagram(p)} by ${p.delayMs} ms, ${wayEn(p)}`,
    zh: (p) => `把${datagramZh(p)}延迟了 ${p.delayMs} 毫秒，${wayZh(p)}`,
  },
  'fault-datagram-reordered': {
    en: (p) => `held back datagram #${p.index} from ${p.from} and sent it after #${p.after}`,
    zh: (p) => `扣下了来自 ${p.from} 的第 ${p.index} 个数据报，在第 ${p.after} 个之后才发出`,
  },
  'fault-datagram-late': {
    en: (p) =>
      `held back datagram #${p.index} from ${p.from} to reorder it, but none followed within ${p.holdMs} ms: sent it late`,
    zh: (p) =>
      `扣下了来自 ${p.from} 的第 ${p.index} 个数据报准备打乱顺序，但 ${p.holdMs} 毫秒内没有后续数据报：晚些发出了它`,
  },
  'fault-segment-split': {
    en: (p) =>
      `sent ${segment(p)} alone: piece ${p.piece} of ${p.pieces} of a ${p.readBytes}-byte read (chunkBytes ${p.chunkBytes})`,
    zh: (p) =>
      `单独发送了${segmentZh(p)}：它是一次 ${p.readBytes} 字节读取的第 ${p.piece}/${p.pieces} 块（chunkBytes ${p.chunkBytes}）`,
  },
  'fault-segment-delayed': {
    en: (p) => `delayed ${segment(p)} by ${p.delayMs} ms`,
    zh: (p) => `把${segmentZh(p)}延迟了 ${p.delayMs} 毫秒`,
  },
  'fault-reset-drawn': {
    en: (p) =>
      `reset the connection to ${p.remote} (sent RST): segment #${p.index} drew a reset (resetRate ${p.resetRate})`,
    zh: (p) =>
      `重置了到 ${p.remote} 的连接（发送了 RST）：第 ${p.index} 个数据段抽中了重置（resetRate ${p.resetRate}）`,
  },
  'fault-reset-after-bytes': {
    en: (p) =>
      `reset the connection to ${p.remote} (sent RST): ${p.bytes} bytes went from ${p.from} (resetAfterBytes ${p.resetAfterBytes})`,
    zh: (p) =>
      `重置了到 ${p.remote} 的连接（发送了 RST）：已有 ${p.bytes} 字节从 ${p.from} 发出（resetAfterBytes ${p.resetAfterBytes}）`,
  },
};
