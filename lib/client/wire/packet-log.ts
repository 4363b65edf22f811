/**
 * The packets of the current run, kept outside the run-state reducer (like terminal output in
 * `TerminalFeed`): a run may send thousands, and an append must cost O(1), not a copy of the
 * array and a render per packet. Views subscribe and redraw at most once per frame.
 */
import { faultKey, markOf, PacketCounter, withMark, type FaultMark } from './fault-marks.ts';
import type { FaultEvent } from '../../protocol.ts';
import type { WirePacket } from './wire-packet.ts';

/** What a view reads: the packets so far and a number that changes whenever they do. */
export interface PacketSnapshot {
  readonly packets: readonly WirePacket[];
  readonly version: number;
  /** Fault events of the run so far (whether or not their packet has come). */
  readonly faults: number;
}

/** Packets kept per run at most; the sandbox caps its capture lower, this only guards memory. */
export const MAX_KEPT_PACKETS = 50_000;
/** Faults kept waiting for their packet at most (the sandbox caps its fault events lower). */
export const MAX_PENDING_FAULTS = 50_000;

/** An append-only list of one run's packets that views can subscribe to. */
export class PacketLog {
  private packets: WirePacket[] = [];
  private current: PacketSnapshot = { packets: this.packets, version: 0, faults: 0 };
  private readonly listeners = new Set<() => void>();
  private counter = new PacketCounter();
  /** Where each packet a fault may name sits in `packets`, by fault key. */
  private slots = new Map<string, number>();
  /** Faults whose packet has not come yet, by fault key. */
  private pending = new Map<string, FaultMark[]>();
  private pendingCount = 0;
  private faults = 0;

  /** Forgets every packet and fault (a new run begins). */
  reset(): void {
    this.packets = [];
    this.counter = new PacketCounter();
    this.slots = new Map();
    this.pending = new Map();
    this.pendingCount = 0;
    this.faults = 0;
    this.publish();
  }

  /** Adds the next packet of the run, with the faults already reported for it. */
  push(packet: WirePacket): void {
    if (this.packets.length >= MAX_KEPT_PACKETS) return;
    let marked = packet;
    for (const key of this.counter.keysOf(packet)) {
      if (!this.slots.has(key)) this.slots.set(key, this.packets.length);
      for (const mark of this.pending.get(key) ?? []) marked = withMark(marked, mark);
      this.pendingCount -= this.pending.get(key)?.length ?? 0;
      this.pending.delete(key);
    }
    this.packets.push(marked);
    this.publish();
  }

  /** Marks the packet a fault peer says it acted on, now or once that packet comes. */
  addFault(event: FaultEvent): void {
    const key = faultKey(event);
    const mark = markOf(event);
    this.faults += 1;
    const at = this.slots.get(key);
    if (at !== undefined) {
      this.packets[at] = withMark(this.packets[at]!, mark);
    } else if (this.pendingCount < MAX_PENDING_FAULTS) {
      this.pending.set(key, [...(this.pending.get(key) ?? []), mark]);
      this.pendingCount += 1;
    }
    this.publish();
  }

  /** Records that a fault relay dropped packet `n` (see `WirePacket.dropped`). */
  markDropped(n: number): void {
    const index = this.packets.findIndex((packet) => packet.n === n);
    if (index < 0) return;
    this.packets[index] = { ...this.packets[index]!, dropped: true };
    this.publish();
  }

  /** The packets so far; the same object until the next change (for useSyncExternalStore). */
  snapshot(): PacketSnapshot {
    return this.current;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(): void {
    this.current = {
      packets: this.packets,
      version: this.current.version + 1,
      faults: this.faults,
    };
    for (const listener of this.listeners) listener();
  }
}
