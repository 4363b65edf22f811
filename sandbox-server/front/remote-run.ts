/**
 * One run as the front sees it while the jailer executes it: events pass through to the
 * transport, except that a lesson run's `run-finished` waits until the jailer's record has been
 * judged by the judge (judge/judge.ts: instructor code never runs in the privileged jailer).
 * Input for a process the run does not have is refused here, before it reaches the jailer.
 */
import type { RunRecord } from '../../lib/lessons/define.ts';
import type { CheckResult, Notice, RunEvent } from '../../lib/protocol.ts';
import { EngineInputError, type CaptureFile, type EngineRun } from '../transport/engine.ts';
import type { JailerMessage, StartRequest } from '../jailer/protocol.ts';

type Finished = Extract<RunEvent, { type: 'run-finished' }>;

/** Said when the jailer died under a run: not the learner's fault, and Run works again. */
export const JAILER_LOST: Notice = { code: 'sandbox-restarted', params: {} };

/** Said when the jailer refused a run the front had accepted (a bug, logged in detail). */
export const JAILER_REFUSED: Notice = { code: 'sandbox-refused', params: {} };

/** What a remote run needs from the engine that owns it. */
export interface RemoteRunLink {
  send(message: object): void;
  /** The run has ended for the front; forget it. */
  forget(runId: string): void;
  /** Something the jailer sent about this run did not add up (logged, never the learner's fault). */
  fault(what: string): void;
}

/** Where a remote run's pcap goes once its chunks are in, and the most bytes accepted for it. */
export interface CaptureReceiver {
  keep(file: CaptureFile): void;
  maxBytes: number;
}

type CaptureEnd = Extract<JailerMessage, { type: 'capture-end' }>;

/** A run executing in the jailer. */
export class RemoteRun implements EngineRun {
  readonly start: StartRequest;
  readonly done: Promise<void>;
  /** Whether the start request has reached a jailer. */
  sent = false;
  private readonly processes: Set<string>;
  private readonly judge: ((record: RunRecord) => Promise<CheckResult[]>) | undefined;
  private readonly emit: (event: RunEvent) => void;
  private readonly link: RemoteRunLink;
  private held: Finished | null = null;
  private readonly capture: CaptureReceiver | null;
  private captureChunks: Buffer[] | null = [];
  private captureBytes = 0;
  private ended = false;
  private resolve!: () => void;

  constructor(
    start: StartRequest,
    processes: string[],
    judge: ((record: RunRecord) => Promise<CheckResult[]>) | undefined,
    emit: (event: RunEvent) => void,
    link: RemoteRunLink,
    capture: CaptureReceiver | null = null,
  ) {
    this.start = start;
    this.capture = capture;
    this.processes = new Set(processes);
    this.judge = judge;
    this.emit = emit;
    this.link = link;
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  stdin(process: string, data: string): void {
    this.input({ type: 'stdin', process, data });
  }

  eof(process: string): void {
    this.input({ type: 'eof', process });
  }

  interrupt(process: string): void {
    this.input({ type: 'interrupt', process });
  }

  stop(): void {
    if (this.ended) return;
    if (this.sent) return this.link.send({ type: 'stop', runId: this.start.runId });
    this.finish('stopped', { code: 'stopped-before-start', params: {} });
  }

  /** An event of this run from the jailer. */
  onEvent(event: RunEvent): void {
    if (this.ended) return;
    if (event.type === 'run-finished' && this.start.wantRecord) this.held = event;
    else this.emit(event);
  }

  /** A piece of the run's pcap; past the receiver's limit the whole capture is dropped. */
  onCaptureChunk(data: string): void {
    if (this.ended || !this.capture || !this.captureChunks) return;
    const chunk = Buffer.from(data, 'base64');
    this.captureBytes += chunk.length;
    if (this.captureBytes <= this.capture.maxBytes) return void this.captureChunks.push(chunk);
    this.captureChunks = null;
    this.link.fault(`its capture is larger than the ${this.capture.maxBytes} bytes a run may keep`);
  }

  /** The run's pcap is complete: hand it over (before the run-finished event that follows). */
  onCaptureEnd(end: CaptureEnd): void {
    const chunks = this.captureChunks;
    this.captureChunks = null;
    if (this.ended || !this.capture || !chunks) return;
    if (this.captureBytes !== end.bytes)
      return this.link.fault(`its capture came with ${this.captureBytes} of ${end.bytes} bytes`);
    const bytes = Buffer.concat(chunks);
    this.capture.keep({ bytes, packets: end.packets, truncated: end.truncated });
  }

  /** The jailer has torn the run down; judge the record if the lesson has checks. */
  async onDone(record: RunRecord | undefined): Promise<void> {
    if (this.ended) return;
    if (this.held && record && this.judge) {
      const results = await this.judge(record);
      if (this.ended) return;
      this.emit({ type: 'checks', runId: this.start.runId, results });
    }
    if (this.held) this.emit(this.held);
    this.close();
  }

  /** The jailer refused the start: a disagreement between front and jailer, i.e. a bug. */
  onRefused(): void {
    this.finish('error', JAILER_REFUSED);
  }

  /** The jailer went away with this run in it. */
  onJailerLost(): void {
    if (this.held) {
      this.emit(this.held);
      return this.close();
    }
    this.finish('error', JAILER_LOST);
  }

  private input(message: { type: string; process: string; data?: string }): void {
    if (!this.processes.has(message.process))
      throw new EngineInputError('unknown-process', {
        code: 'unknown-process',
        params: { process: message.process },
      });
    if (this.sent && !this.ended) this.link.send({ ...message, runId: this.start.runId });
  }

  private finish(reason: Finished['reason'], notice: Notice): void {
    if (this.ended) return;
    this.emit({ type: 'run-finished', runId: this.start.runId, reason, notice, durationMs: 0 });
    this.close();
  }

  private close(): void {
    this.ended = true;
    this.link.forget(this.start.runId);
    this.resolve();
  }
}
