/**
 * The events of a process started before its run exists (a warm peer): kept until a run adopts
 * the process, then replayed to it in order and passed on live. What the peer said while it
 * waited ("echo: listening on 127.0.0.1:8080", its `listening` report) thus reaches the
 * learner's pane and the checks as if the run had started it.
 */
import type { PeerReport } from '../../lib/lessons/define.ts';
import type { ProcessEvents } from './run-process.ts';

type Held =
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'report'; report: PeerReport };

/** Most bytes a waiting peer may say before a run takes it (a peer's greeting is a line). */
const MAX_HELD_BYTES = 64 * 1024;

/** ProcessEvents that wait for a run. */
export class DeferredEvents implements ProcessEvents {
  private target: ProcessEvents | null = null;
  private held: Held[] = [];
  private heldBytes = 0;

  allowOutput(wanted: number): number {
    if (this.target) return this.target.allowOutput(wanted);
    const allowed = Math.max(0, Math.min(wanted, MAX_HELD_BYTES - this.heldBytes));
    this.heldBytes += allowed;
    return allowed;
  }

  output(stream: 'stdout' | 'stderr', text: string): void {
    if (this.target) this.target.output(stream, text);
    else this.held.push({ kind: 'output', stream, text });
  }

  report(report: PeerReport): void {
    if (this.target) this.target.report(report);
    else this.held.push({ kind: 'report', report });
  }

  /** Hands everything held to `target` (charging it for the bytes), then forwards to it. */
  attach(target: ProcessEvents): void {
    target.allowOutput(this.heldBytes);
    for (const item of this.held) {
      if (item.kind === 'output') target.output(item.stream, item.text);
      else target.report(item.report);
    }
    this.held = [];
    this.target = target;
  }
}
