/**
 * Everything the server sends on one connection goes through its outbox, which gives output
 * backpressure (Piston's streaming mode had none; see sandbox-anchors.md §0.5):
 * - frames are written only while the socket's own buffer is below a high-water mark;
 * - output waiting meanwhile is coalesced per process and stream, at most one frame per window,
 *   so a chatty program neither floods the page nor sends thousands of tiny frames;
 * - output beyond a pending-bytes bound is dropped and replaced by one `output-skipped` event,
 *   so a slow browser never grows server memory without bound. Other events are never dropped.
 */
import type { ServerMessage } from '../../lib/protocol.ts';

type OutputMessage = Extract<ServerMessage, { type: 'output' }>;

/** The part of a `ws` WebSocket the outbox uses. */
export interface OutboxSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
}

export interface OutboxOptions {
  /** Stop writing while the socket already buffers this many bytes. */
  highWaterBytes: number;
  /** Output held back while the socket is full; more than this is dropped with a note. */
  maxPendingBytes: number;
  /** Minimum gap between output frames once output is flowing, in milliseconds. */
  coalesceMs: number;
  /** Longest output `data` in one frame, in characters. */
  maxFrameChars: number;
}

/** Sensible defaults: 64 KiB frames, 20 ms coalescing, 1 MiB socket buffer, 1 MiB held. */
export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  highWaterBytes: 1024 * 1024,
  maxPendingBytes: 1024 * 1024,
  coalesceMs: 20,
  maxFrameChars: 64 * 1024,
};

const OPEN = 1;
/**
 * What one held output entry costs beyond its text, counted against maxPendingBytes: without it,
 * many tiny interleaved chunks could hold far more memory than their characters suggest.
 */
export const OUTPUT_ENTRY_COST = 128;
/** How often a full socket is looked at again: `ws` has no public drain event. */
const DRAIN_POLL_MS = 10;

interface Entry {
  message: ServerMessage;
  /** Set on a note that stands for dropped output: how many characters it stands for. */
  dropped?: number;
}

const streamKey = (m: OutputMessage): string => `${m.runId}\0${m.process}\0${m.stream}`;

export class Outbox {
  private readonly queue: Entry[] = [];
  private readonly openNotes = new Map<string, Entry>();
  private pendingChars = 0;
  private control = 0;
  private lastOutputAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly socket: OutboxSocket;
  private readonly options: OutboxOptions;
  /** Called whenever the queue has been fully written, e.g. to resume reading from the client. */
  onDrain: () => void = () => {};

  constructor(socket: OutboxSocket, options: OutboxOptions = DEFAULT_OUTBOX_OPTIONS) {
    this.socket = socket;
    this.options = options;
  }

  /** Output held in server memory now (not yet handed to the socket), in characters. */
  get pendingBytes(): number {
    return this.pendingChars;
  }

  /** Messages other than output waiting to be written (replies, run events). */
  get pendingControl(): number {
    return this.control;
  }

  /** Queues a message; output may be coalesced or dropped, anything else is kept in order. */
  push(message: ServerMessage): void {
    if (this.closed) return;
    if (message.type === 'output') this.pushOutput(message);
    else if (message.type === 'queued') this.replaceOrPush(message);
    else this.pushControl({ message });
    if (message.type !== 'output') this.flushSoon(0);
    else
      this.flushSoon(Math.max(0, this.lastOutputAt + this.options.coalesceMs - performance.now()));
  }

  /** Forgets everything pending; later pushes are ignored. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.openNotes.clear();
    this.pendingChars = 0;
    this.control = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private pushOutput(message: OutputMessage): void {
    const key = streamKey(message);
    // Once a note stands for dropped output, later output goes after it, never merged before it.
    const tail = this.queue.at(-1);
    const last = tail?.dropped === undefined ? tail?.message : undefined;
    const mergeable =
      last?.type === 'output' &&
      streamKey(last) === key &&
      last.data.length + message.data.length <= this.options.maxFrameChars;
    const entries = mergeable ? [] : this.split(message);
    const cost = message.data.length + entries.length * OUTPUT_ENTRY_COST;
    if (this.pendingChars + cost > this.options.maxPendingBytes) {
      this.noteDropped(key, message);
      return;
    }
    if (tail && mergeable) tail.message = { ...last, data: last.data + message.data };
    else this.queue.push(...entries);
    this.pendingChars += cost;
  }

  private pushControl(entry: Entry): void {
    this.queue.push(entry);
    this.control++;
  }

  private split(message: OutputMessage): Entry[] {
    const size = this.options.maxFrameChars;
    if (message.data.length <= size) return [{ message }];
    const entries: Entry[] = [];
    for (let at = 0; at < message.data.length; at += size) {
      entries.push({ message: { ...message, data: message.data.slice(at, at + size) } });
    }
    return entries;
  }

  private noteDropped(key: string, message: OutputMessage): void {
    const open = this.openNotes.get(key);
    if (open) {
      open.dropped! += message.data.length;
      return;
    }
    const note: Entry = { message: { ...message, data: '' }, dropped: message.data.length };
    this.openNotes.set(key, note);
    this.queue.push(note);
  }

  private replaceOrPush(message: Extract<ServerMessage, { type: 'queued' }>): void {
    const waiting = this.queue.find(
      (e) => e.message.type === 'queued' && e.message.runId === message.runId,
    );
    if (waiting) waiting.message = message;
    else this.pushControl({ message });
  }

  private flushSoon(delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.flush();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush();
      },
      Math.max(delayMs, 1),
    );
  }

  private flush(): void {
    if (this.closed) return;
    if (this.socket.readyState !== OPEN) {
      this.close();
      return;
    }
    while (this.queue.length > 0) {
      if (this.socket.bufferedAmount > this.options.highWaterBytes) {
        this.flushSoon(DRAIN_POLL_MS);
        return;
      }
      this.socket.send(JSON.stringify(this.take()));
    }
    this.onDrain();
  }

  /** Takes the head of the queue as the message to write, turning a drop note into its text. */
  private take(): ServerMessage {
    const entry = this.queue.shift()!;
    const message = entry.message;
    if (message.type !== 'output') {
      this.control--;
      return message;
    }
    if (entry.dropped === undefined) {
      this.pendingChars -= message.data.length + OUTPUT_ENTRY_COST;
      this.lastOutputAt = performance.now();
      return message;
    }
    this.openNotes.delete(streamKey(message));
    return skipped(message, entry.dropped);
  }
}

/** The event that stands in for output the browser could not take in time. */
export function skipped(output: OutputMessage, characters: number): ServerMessage {
  const { runId, process, stream } = output;
  const notice = { code: 'output-skipped', params: { characters } } as const;
  return { type: 'output-skipped', runId, process, stream, characters, notice };
}
