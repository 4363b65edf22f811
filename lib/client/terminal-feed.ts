/**
 * The text bound for each process's terminal in the current run. Output can arrive before React
 * has put the terminal on screen, so it is kept here and replayed when the terminal subscribes.
 */

const RED = '\x1b[31m';
const RESET = '\x1b[0m';
/** Per-process history kept for replay; the sandbox caps output, this only guards memory. */
const MAX_KEPT_CHARS = 2_000_000;

/** Terminal text for a chunk of process output: stderr is shown in red. */
export function formatOutput(stream: 'stdout' | 'stderr', data: string): string {
  return stream === 'stderr' ? `${RED}${data}${RESET}` : data;
}

export class TerminalFeed {
  private readonly kept = new Map<string, string[]>();
  private readonly keptChars = new Map<string, number>();
  private readonly listeners = new Map<string, Set<(text: string) => void>>();

  /** Forgets everything (a new run begins). */
  reset(): void {
    this.kept.clear();
    this.keptChars.clear();
  }

  /** Appends text to a process's terminal. */
  write(process: string, text: string): void {
    const chunks = this.kept.get(process) ?? [];
    chunks.push(text);
    let size = (this.keptChars.get(process) ?? 0) + text.length;
    while (size > MAX_KEPT_CHARS && chunks.length > 1) size -= chunks.shift()!.length;
    this.kept.set(process, chunks);
    this.keptChars.set(process, size);
    for (const listener of this.listeners.get(process) ?? []) listener(text);
  }

  /** Replays what the process has written so far, then forwards new text; returns unsubscribe. */
  subscribe(process: string, listener: (text: string) => void): () => void {
    for (const chunk of this.kept.get(process) ?? []) listener(chunk);
    const set = this.listeners.get(process) ?? new Set();
    set.add(listener);
    this.listeners.set(process, set);
    return () => set.delete(listener);
  }
}
