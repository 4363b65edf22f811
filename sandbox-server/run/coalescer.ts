/**
 * Output coalescing: a program printing a million tiny lines must not become a million events,
 * yet a single line must appear at once. Per process, the first chunk after a quiet spell is
 * emitted immediately (leading edge) when it ends a line; a partial line waits `partialMs` for
 * its end (unbuffered Python writes `print("a")` as "a" then "\n"). Chunks arriving within
 * `windowMs` of an emission are held and emitted together when the window ends, or as soon as
 * they reach `maxChars`.
 */

/** Where coalesced output goes. */
export type OutputSink = (process: string, stream: 'stdout' | 'stderr', data: string) => void;

/** Tuning of the coalescer. */
export interface CoalescerOptions {
  windowMs: number;
  /** How long a partial line after a quiet spell waits for the rest of its line. */
  partialMs: number;
  maxChars: number;
  now?: () => number;
}

interface Pending {
  stream: 'stdout' | 'stderr';
  data: string;
  timer: ReturnType<typeof setTimeout> | null;
  /** The timer only waits for the end of a partial line (not for the coalescing window). */
  waitingForLineEnd: boolean;
  lastEmit: number;
}

/** Coalesces output per process, preserving the order of stdout and stderr chunks. */
export class OutputCoalescer {
  private readonly sink: OutputSink;
  private readonly options: CoalescerOptions;
  private readonly now: () => number;
  private readonly pending = new Map<string, Pending>();

  constructor(sink: OutputSink, options: CoalescerOptions) {
    this.sink = sink;
    this.options = options;
    this.now = options.now ?? (() => performance.now());
  }

  /** Adds a chunk of a process's output. */
  push(process: string, stream: 'stdout' | 'stderr', data: string): void {
    if (data === '') return;
    const state = this.stateOf(process, stream);
    // A change of stream ends the held chunk: order between stdout and stderr is kept.
    if (state.stream !== stream) this.flushState(process, state);
    state.stream = stream;
    state.data += data;
    // Quiet: nothing emitted within the window, and nothing held for the window either (a held
    // partial line only waits for its newline).
    const idle = state.timer === null || state.waitingForLineEnd;
    const quiet = idle && this.now() - state.lastEmit >= this.options.windowMs;
    if ((quiet && state.data.endsWith('\n')) || state.data.length >= this.options.maxChars) {
      this.flushState(process, state);
    } else if (state.timer === null) {
      state.waitingForLineEnd = quiet;
      const wait = quiet
        ? this.options.partialMs
        : Math.max(0, state.lastEmit + this.options.windowMs - this.now());
      state.timer = setTimeout(() => this.flushState(process, state), wait);
    }
  }

  /** Emits whatever a process still holds (before its exit is announced). */
  flush(process: string): void {
    const state = this.pending.get(process);
    if (state) this.flushState(process, state);
  }

  /** Emits everything held and stops all timers. */
  flushAll(): void {
    for (const [process, state] of this.pending) this.flushState(process, state);
  }

  private stateOf(process: string, stream: 'stdout' | 'stderr'): Pending {
    let state = this.pending.get(process);
    if (!state) {
      state = { stream, data: '', timer: null, waitingForLineEnd: false, lastEmit: -Infinity };
      this.pending.set(process, state);
    }
    return state;
  }

  private flushState(process: string, state: Pending): void {
    if (state.timer !== null) clearTimeout(state.timer);
    state.timer = null;
    state.waitingForLineEnd = false;
    if (state.data === '') return;
    const data = state.data;
    state.data = '';
    state.lastEmit = this.now();
    // What was held plus a large chunk can pass maxChars (a busy machine delivers big chunks
    // inside one window): every event stays within it.
    for (const piece of slices(data, this.options.maxChars))
      this.sink(process, state.stream, piece);
  }
}

/** `data` in pieces of at most `max` characters, never between the halves of a surrogate pair. */
function slices(data: string, max: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < data.length;) {
    let end = Math.min(at + max, data.length);
    const code = data.charCodeAt(end - 1);
    if (end < data.length && end - at > 1 && code >= 0xd800 && code <= 0xdbff) end -= 1;
    pieces.push(data.slice(at, end));
    at = end;
  }
  return pieces;
}
