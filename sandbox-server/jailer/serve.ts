/**
 * The jailer's side of a channel to the front: every request is validated again (the front is
 * the unprivileged, Internet-facing side and may be compromised), runs go through `startRun`
 * with the jailer's own configured limits, and events stream back tagged with their run.
 */
import type { Socket } from 'node:net';
import type { RunOptions } from '../run/types.ts';
import { describeIssues } from '../../lib/protocol.ts';
import type { CaptureFile } from '../capture/capture.ts';
import type { SandboxConfig } from '../config.ts';
import type { CaptureSettings } from '../run/run-capture.ts';
import type { SandboxHost } from '../run/sandbox-host.ts';
import { prepareRun } from '../plan/setup.ts';
import { RunInputError, type RunHandle } from '../run/start-run.ts';
import { LineChannel } from './line-channel.ts';
import {
  CAPTURE_CHUNK_BYTES,
  JailerRequest,
  FRONT_TO_JAILER,
  type JailerMessage,
  type StartRequest,
  type WarmRequest,
} from './protocol.ts';
import type { WarmDemand } from '../run/warm-sandboxes.ts';

/** Where the jailer's complaints about its front go. */
export type JailerLog = (line: string) => void;

/** The runs of one front connection. */
export class JailerSession {
  private readonly host: SandboxHost;
  private readonly config: SandboxConfig;
  private readonly log: JailerLog;
  private readonly channel: LineChannel;
  private readonly runs = new Map<string, RunHandle>();
  private readonly settled = new Set<Promise<unknown>>();

  constructor(
    host: SandboxHost,
    socket: Socket,
    config: SandboxConfig,
    log: JailerLog,
    onClosed: () => void,
  ) {
    this.host = host;
    this.config = config;
    this.log = log;
    this.channel = new LineChannel(socket, FRONT_TO_JAILER, {
      message: (value) => this.receive(value),
      invalid: (why) => log(`refused a line from the front: ${why}`),
      closed: () => {
        // Nobody is left to hear these runs: end them (their teardown still runs to the end).
        for (const run of this.runs.values()) run.stop();
        onClosed();
      },
    });
  }

  /** Stops every run and resolves once all are torn down. */
  async stopAll(): Promise<void> {
    for (const run of this.runs.values()) run.stop();
    await Promise.all(this.settled);
  }

  /** Closes the channel (its runs are stopped by the close). */
  close(): void {
    this.channel.close();
  }

  private receive(value: unknown): void {
    const parsed = JailerRequest.safeParse(value);
    if (!parsed.success) return this.log(`refused a request: ${describeIssues(parsed.error)}`);
    const request = parsed.data;
    if (request.type === 'start') return this.start(request);
    if (request.type === 'warm') return this.warm(request);
    if (request.type === 'stats') return this.stats(request.id);
    const run = this.runs.get(request.runId);
    if (!run) return; // ended meanwhile: input for it is moot
    try {
      if (request.type === 'stdin') run.stdin(request.process, request.data);
      else if (request.type === 'eof') run.eof(request.process);
      else if (request.type === 'interrupt') run.interrupt(request.process);
      else run.stop();
    } catch (error) {
      // Whatever a request makes go wrong, it must not take the jailer and every run with it.
      this.log(`refused ${request.type} for run ${request.runId}: ${describe(error)}`);
    }
  }

  private start(request: StartRequest): void {
    const { runId } = request;
    if (this.runs.has(runId)) return this.refuse(runId, `run ${runId} is already running`);
    if (this.runs.size >= this.config.slots)
      return this.refuse(runId, `all ${this.config.slots} slots are running already`);
    let handle: RunHandle;
    try {
      handle = this.host.startRun(this.options(request), (event) =>
        this.send({ type: 'event', runId, event }),
      );
    } catch (error) {
      return this.refuse(runId, describe(error));
    }
    this.runs.set(runId, handle);
    const settled = handle.done.then((record) => {
      this.runs.delete(runId);
      this.settled.delete(settled);
      this.send({ type: 'done', runId, ...(request.wantRecord ? { record } : {}) });
    });
    this.settled.add(settled);
  }

  /** Keeps sandboxes made ahead for the lessons the front's browsers show. */
  private warm(request: WarmRequest): void {
    const { limits } = this.config;
    const demand = request.kinds.flatMap(({ lesson, count }): WarmDemand[] => {
      // Planned as a run of the lesson's own files would be: that is the key a Run looks up.
      const files = lesson.processes.flatMap((spec) =>
        'file' in spec ? [{ name: spec.file, content: '' }] : [],
      );
      try {
        const setup = prepareRun({
          runId: 'warm-up',
          files,
          lang: 'en',
          lesson,
          limits: limits.defaults,
          limitBounds: { min: limits.min, max: limits.max },
        });
        return [{ plan: setup.plan, limits: setup.limits, count }];
      } catch (error) {
        this.log(`refused to warm up a lesson: ${describe(error)}`);
        return [];
      }
    });
    this.host.warm.setDemand(demand);
  }

  /** Answers how many sandboxes are ready and runs held; an answer at all means it is alive. */
  private stats(id: number): void {
    const warmSandboxes = this.host.warm.readyCount;
    this.send({ type: 'stats', id, warmSandboxes, runs: this.runs.size });
  }

  private options(request: StartRequest): RunOptions {
    const { limits } = this.config;
    const lesson: RunOptions['lesson'] = request.lesson && {
      processes: request.lesson.processes,
      limits: request.lesson.limits,
      pythonImports: request.lesson.pythonImports,
    };
    return {
      runId: request.runId,
      files: request.files,
      lang: request.lang,
      lesson,
      limits: limits.defaults,
      limitBounds: { min: limits.min, max: limits.max },
      slot: request.slot,
      capture: captureSettings(this.config),
      onCapture: request.wantCapture ? (file) => this.sendCapture(request.runId, file) : undefined,
      seed: request.seed,
    };
  }

  /**
   * Sends a run's pcap in chunks (a line holds at most MAX_LINE_BYTES), on the same channel and
   * so before the run-finished event the run emits next. An empty capture is not worth sending.
   */
  private sendCapture(runId: string, file: CaptureFile): void {
    if (file.packets === 0) return;
    const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    for (let at = 0; at < bytes.length; at += CAPTURE_CHUNK_BYTES) {
      const data = bytes.subarray(at, at + CAPTURE_CHUNK_BYTES).toString('base64');
      this.send({ type: 'capture-chunk', runId, data });
    }
    const { packets, truncated } = file;
    this.send({ type: 'capture-end', runId, bytes: bytes.length, packets, truncated });
  }

  private refuse(runId: string, message: string): void {
    this.log(`refused run ${runId}: ${message}`);
    this.send({ type: 'refused', runId, message });
  }

  private send(message: JailerMessage): void {
    this.channel.send(message);
  }
}

/** The packet capture this configuration asks of every run. */
export function captureSettings(config: SandboxConfig): CaptureSettings {
  return {
    enabled: config.capture,
    maxPackets: config.captureMaxPackets,
    maxPcapBytes: config.captureMaxKiB * 1024,
  };
}

function describe(error: unknown): string {
  if (error instanceof RunInputError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
