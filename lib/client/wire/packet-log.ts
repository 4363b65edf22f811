/**
 * The packets of the current run, kept outside the run-state reducer (like terminal output in
 * `TerminalFeed`): a run may send thousands, and an append must cost O(1), not a copy of the
 * array and a render per packet. Views subscribe and redraw at most once per frame.
 */
import type { WirePacket } from './wire-packet.ts';

/** What a view reads: the packets so far and a number that changes whenever they do. */
export interface PacketSnapshot {
  readonly packets: readonly WirePacket[];
  readonly version: number;
}

/** Packets kept per run at most; the sandbox caps its capture lower, this only guards memory. */
export const MAX_KEPT_PACKETS = 50_000;

/** An append-only list of one run's packets that views can subscribe to. */
export class PacketLog {
  private packets: WirePacket[] = [];
  private current: PacketSnapshot = { packets: this.packets, version: 0 };
  private readonly listeners = new Set<() => void>();

  /** Forgets every packet (a new run begins). */
  reset(): void {
    this.packets = [];
    this.publish();
  }

  /** Adds the next packet of the run. */
  push(packet: WirePacket): void {
    if (this.packets.length >= MAX_KEPT_PACKETS) return;
    this.packets.push(packet);
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
    this.current = { packets: this.packets, version: this.current.version + 1 };
    for (const listener of this.listeners) listener();
  }
}
