/**
 * One direction of a tcp-proxy connection: what one socket reads, written to the other as
 * segments, each split, delayed, paced and maybe turned into a reset as the options and the
 * seed decide, in order (a stream is never reordered), with backpressure and half-close kept.
 */
import type net from 'node:net';
import type { TcpProxyOptions } from './config.ts';
import type { Fault } from './fault-log.ts';
import type { SegmentFaults, Way } from './fault-plan.ts';
import { Pacer } from './pacer.ts';

/** Bytes waiting in a pipe before it stops reading its source. */
const HIGH_WATER_BYTES = 256 * 1024;

/** A segment waiting for its time. */
interface Segment {
  data: Buffer;
  at: number;
  index: number;
  /** What follows it: nothing, or a reset of both connections (`data` may then be empty). */
  then: 'nothing' | 'reset';
  /** What was done to it, reported once it is written (a reset may come first). */
  faults: Array<Omit<Fault, 'proto'>>;
}

/** What a pipe needs from its connection. */
export interface PipeContext {
  way: Way;
  /** The packets it writes: its destination socket's local and remote address. */
  from: string;
  to: string;
  /** Who sent the bytes, for the log (the client, or the target). */
  sender: string;
  /** Null when faults do not apply to this way. */
  faults: SegmentFaults | null;
  options: TcpProxyOptions;
  fault(fault: Omit<Fault, 'proto'>): void;
  /** Data will still be written at `at` (a performance.now() time): the run waits for it. */
  sendsAt(at: number): void;
  /** Resets both connections; `index` is the segment after which it happens. */
  reset(index: number, why: ResetCause): void;
}

/** Why a pipe resets its connection: a reset drawn for a segment, or the byte limit reached. */
export type ResetCause =
  | { drawn: true; resetRate: number }
  | { drawn: false; bytes: number; from: string; resetAfterBytes: number };

/** Forwards one way of a proxied connection. */
export class TcpPipe {
  private readonly source: net.Socket;
  private readonly dest: net.Socket;
  private readonly context: PipeContext;
  private readonly pacer: Pacer;
  private readonly queue: Segment[] = [];
  private queuedBytes = 0;
  private count = 0;
  private forwarded = 0;
  private ending = false;
  private stopped = false;
  private waiting: 'nothing' | 'timer' | 'drain' = 'nothing';

  constructor(source: net.Socket, dest: net.Socket, context: PipeContext) {
    this.source = source;
    this.dest = dest;
    this.context = context;
    const { options } = context;
    const faulty = context.faults !== null;
    this.pacer = new Pacer(
      faulty ? options.bandwidthBytesPerSecond : 0,
      faulty && options.chunkBytes > 0 ? options.chunkGapMs : 0,
    );
    source.on('data', (data: Buffer) => this.push(data));
    source.on('end', () => {
      this.ending = true;
      this.pump();
    });
  }

  /** Forwards nothing more (the connection is being torn down). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private push(data: Buffer): void {
    if (this.stopped) return;
    const pieces = this.split(data);
    for (const [at, piece] of pieces.entries()) {
      if (!this.enqueue(piece, at, pieces.length, data.length)) break;
    }
    if (this.queuedBytes > HIGH_WATER_BYTES) this.source.pause();
    this.pump();
  }

  private split(data: Buffer): Buffer[] {
    const size = this.context.faults ? this.context.options.chunkBytes : 0;
    if (size <= 0 || data.length <= size) return [data];
    const pieces: Buffer[] = [];
    for (let at = 0; at < data.length; at += size) pieces.push(data.subarray(at, at + size));
    return pieces;
  }

  /** Queues one piece with its fate; false once a reset ends the stream. */
  private enqueue(piece: Buffer, at: number, of: number, readBytes: number): boolean {
    const { faults, options, sender, from, to } = this.context;
    this.count += 1;
    const index = this.count;
    const fate = faults?.next() ?? { reset: false, delayMs: 0 };
    const now = performance.now();
    const when = this.pacer.take(now + fate.delayMs, piece.length);
    if (when - now >= 1) this.context.sendsAt(when);
    if (fate.reset) {
      this.queue.push({ data: Buffer.alloc(0), at: when, index, then: 'reset', faults: [] });
      return false;
    }
    const limit = faults ? options.resetAfterBytes : 0;
    let data = piece;
    let then: Segment['then'] = 'nothing';
    if (limit > 0 && this.forwarded + piece.length >= limit) {
      data = piece.subarray(0, limit - this.forwarded);
      then = 'reset';
    }
    this.forwarded += data.length;
    const notes: Segment['faults'] = [];
    // The log names the segment by its sender and the bytes the proxy read (its piece).
    const segment = { index, from: sender, bytes: piece.length };
    if (of > 1) {
      const { chunkBytes } = options;
      const params = { ...segment, piece: at + 1, pieces: of, readBytes, chunkBytes };
      notes.push({
        action: 'split',
        from,
        to,
        index,
        bytes: data.length,
        note: { code: 'fault-segment-split', params },
      });
    }
    if (fate.delayMs > 0)
      notes.push({
        action: 'delayed',
        from,
        to,
        index,
        bytes: data.length,
        delayMs: fate.delayMs,
        note: { code: 'fault-segment-delayed', params: { ...segment, delayMs: fate.delayMs } },
      });
    this.queue.push({ data, at: when, index, then, faults: notes });
    this.queuedBytes += data.length;
    return then === 'nothing';
  }

  /** Writes every segment whose time has come, in order; then ends the destination if asked. */
  private pump(): void {
    if (this.stopped || this.waiting !== 'nothing') return;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const wait = head.at - performance.now();
      if (wait >= 1) {
        this.waiting = 'timer';
        setTimeout(() => {
          this.waiting = 'nothing';
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      this.queuedBytes -= head.data.length;
      if (head.then === 'reset') {
        this.reportFaults(head);
        return this.resetAfter(head);
      }
      // Said once the kernel took the bytes: a segment the closing peer never let out was not sent.
      const sent = (error?: Error | null) => {
        if (!error) this.reportFaults(head);
      };
      if (!this.dest.write(head.data, sent)) {
        this.waiting = 'drain';
        this.dest.once('drain', () => {
          this.waiting = 'nothing';
          this.pump();
        });
        return;
      }
    }
    if (this.queuedBytes <= HIGH_WATER_BYTES / 2 && this.source.isPaused()) this.source.resume();
    if (this.ending && !this.dest.writableEnded && !this.dest.destroyed) this.dest.end();
  }

  private reportFaults(segment: Segment): void {
    for (const fault of segment.faults) this.context.fault(fault);
  }

  private resetAfter(segment: Segment): void {
    this.stopped = true;
    const { options, sender } = this.context;
    const why: ResetCause =
      segment.data.length === 0
        ? { drawn: true, resetRate: options.resetRate }
        : {
            drawn: false,
            bytes: this.forwarded,
            from: sender,
            resetAfterBytes: options.resetAfterBytes,
          };
    if (segment.data.length === 0) return this.context.reset(segment.index, why);
    // The bytes before the limit arrive; then the reset (it would discard what is still queued).
    this.dest.write(segment.data, () => this.context.reset(segment.index, why));
  }
}
