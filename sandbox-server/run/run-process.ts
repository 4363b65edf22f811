/**
 * One process of a run, from spawn to exit: its pipes (output decoded as UTF-8 and metered
 * against the run's output budget), its peer reports, stdin, Ctrl-C, and how it ended. The end
 * is keyed on the outer bwrap's exit, never on pipe EOF: a daemon could hold the pipes forever.
 */
import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { BlockedThread, PeerReport } from '../../lib/lessons/define.ts';
import type { ProcessCgroup } from '../jail/cgroups/types.ts';
import { findProgram } from '../jail/proc-fds.ts';
import { spawnJailed, type JailedSpec } from '../jail/spawn-jailed.ts';
import { describeExit } from './exit-status.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import { ReportLines } from './report-lines.ts';
import { BUSY_REPORT } from '../peers/busy-horizon.ts';
import { FAULT_LIMIT_REPORT, FAULT_REPORT } from '../peers/fault-log.ts';
import { DRAIN_MS, MAX_REPORTS, MAX_UNREAD_STDIN_BYTES, REPORT_BUDGET } from './timing.ts';

/**
 * Reports for the run itself, not for the checks: faults become the record's `faults`
 * (run-faults.ts), and `busy` (peers/busy-horizon.ts) holds the run's end for delayed data.
 */
export const RUN_REPORTS: ReadonlySet<string> = new Set([
  FAULT_REPORT,
  FAULT_LIMIT_REPORT,
  BUSY_REPORT,
]);

/** How a process ended on its own terms. */
export interface ProcessExit {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
}

/** What a process tells the run about. */
export interface ProcessEvents {
  /** Bytes the run still accepts; returns how many of `wanted` may be kept. */
  allowOutput(wanted: number): number;
  output(stream: 'stdout' | 'stderr', text: string): void;
  report(report: PeerReport): void;
}

type Stream = 'stdout' | 'stderr';

interface PendingMarker {
  marker: Buffer;
  /** Its first bytes, come so far. */
  seen: Buffer;
  promise: Promise<void>;
  settled: boolean;
  done(): void;
  fail(error: Error): void;
}

/** A process of the run. */
export class RunProcess {
  readonly plan: PlannedProcess;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly reports: PeerReport[] = [];
  /** Resolves when the process has exited and its pipes are drained. */
  readonly exited: Promise<ProcessExit>;
  exit: ProcessExit | null = null;
  /** Set once the run itself killed this process (Stop, a limit, or the end of the run). */
  killedByRun = false;
  /** What its threads were blocked in when the wall-time limit came (learner processes). */
  blocked: BlockedThread[] | undefined;
  private child: ChildProcess | null = null;
  private cgroup: ProcessCgroup | null = null;
  private startedAt = 0;
  private resolveExit!: (exit: ProcessExit) => void;
  private readonly events: ProcessEvents;
  private reportWaiters: Array<{ event: string; resolve: () => void }> = [];
  /** The ready marker still expected on stdout (see start). */
  private marker: PendingMarker | null = null;

  constructor(plan: PlannedProcess, events: ProcessEvents) {
    this.plan = plan;
    this.events = events;
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get name(): string {
    return this.plan.name;
  }

  get started(): boolean {
    return this.child !== null;
  }

  get running(): boolean {
    return this.child !== null && this.exit === null;
  }

  /** The outer bwrap's pid (in the run's network namespace), while running. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** Every pid of the process's tree, from its cgroup leaf. */
  pids(): number[] {
    return this.cgroup?.pids() ?? [];
  }

  /**
   * Spawns the process in its jail, through a warm launcher when one is given. With a
   * `readyMarker` (a warm Python's), the first bytes on stdout must be that marker: they are
   * taken off the output, and `ready` resolves once they came (rejects on anything else, or an
   * exit first).
   */
  start(
    spec: JailedSpec,
    cgroup: ProcessCgroup,
    warm?: ChildProcess | null,
    readyMarker?: string,
  ): void {
    if (readyMarker !== undefined) this.expectMarker(Buffer.from(readyMarker, 'utf8'));
    this.cgroup = cgroup;
    this.startedAt = performance.now();
    const jailed = spawnJailed(spec, warm);
    this.child = jailed.child;
    jailed.stdin.on('error', () => {}); // EPIPE after the program exited: nothing to tell
    const drained = [this.pipe(jailed.stdout, 'stdout'), this.pipe(jailed.stderr, 'stderr')];
    if (jailed.reports) this.readReports(jailed.reports);
    let settled = false;
    const finish = (code: number | null, signal: string | null): void => {
      if (settled) return;
      settled = true;
      const durationMs = performance.now() - this.startedAt;
      void drainWithin(drained, DRAIN_MS).then(() => {
        this.exit = { ...describeExit(code, signal), durationMs };
        this.resolveExit(this.exit);
      });
    };
    jailed.child.once('exit', (code, signal) => {
      this.marker?.fail(new Error(`exited (${code ?? signal}) before it was ready`));
      finish(code, signal);
    });
    jailed.child.once('error', () => finish(null, 'SIGKILL'));
  }

  /** Resolves once the process wrote its ready marker (see start); at once without one. */
  get ready(): Promise<void> {
    return this.marker?.promise ?? Promise.resolve();
  }

  private expectMarker(marker: Buffer): void {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
    promise.catch(() => {}); // a sandbox given back unused never asks
    const pending: PendingMarker = {
      marker,
      seen: Buffer.alloc(0),
      promise,
      settled: false,
      done: () => {
        if (!pending.settled) resolve();
        pending.settled = true;
      },
      fail: (error) => {
        if (!pending.settled) reject(error);
        pending.settled = true;
      },
    };
    this.marker = pending;
  }

  /** Takes the ready marker off the front of stdout; returns what is the program's output. */
  private takeMarker(chunk: Buffer): Buffer {
    const pending = this.marker;
    if (!pending || pending.settled) return chunk;
    const seen = Buffer.concat([pending.seen, chunk]);
    const { marker } = pending;
    const head = seen.subarray(0, marker.length);
    if (!marker.subarray(0, head.length).equals(head)) {
      pending.fail(new Error('wrote something else before it was ready'));
      return seen;
    }
    if (seen.length < marker.length) {
      pending.seen = seen;
      return Buffer.alloc(0);
    }
    pending.done();
    return seen.subarray(marker.length);
  }

  /** Counts the process's duration from now: a peer started ahead starts for its run now. */
  restartClock(): void {
    this.startedAt = performance.now();
  }

  /** Resolves once the process has reported `event` (a peer's `listening`), if it ever does. */
  reported(event: string): Promise<void> {
    if (this.reports.some((report) => report.event === event)) return Promise.resolve();
    return new Promise((resolve) => this.reportWaiters.push({ event, resolve }));
  }

  /** Writes to stdin if the process still reads it (and has not left too much unread). */
  write(data: string): void {
    const stdin = this.child?.stdin;
    if (!this.running || !stdin || stdin.writableEnded) return;
    // A program that never reads must not make the server buffer typed input without bound.
    if (stdin.writableLength > MAX_UNREAD_STDIN_BYTES) return;
    stdin.write(data);
  }

  /** Closes stdin (EOF for the program). */
  endInput(): void {
    const stdin = this.child?.stdin;
    if (stdin && !stdin.writableEnded) stdin.end();
  }

  /** SIGINT to the program's process group, as a terminal's Ctrl-C does. */
  interrupt(): void {
    const outer = this.pid;
    if (outer === undefined) return;
    const program = findProgram(outer, this.pids());
    if (program === null) return;
    try {
      // --new-session made the program lead its own group: this is exactly a terminal's Ctrl-C.
      process.kill(-program.pgrp, 'SIGINT');
    } catch {
      // Exited meanwhile.
    }
  }

  private pipe(stream: Readable, name: Stream): Promise<void> {
    const decoder = new StringDecoder('utf8');
    const keep = name === 'stdout' ? this.stdout : this.stderr;
    const emit = (text: string): void => {
      if (text === '') return;
      keep.push(text);
      this.events.output(name, text);
    };
    stream.on('data', (data: Buffer) => {
      const chunk = name === 'stdout' ? this.takeMarker(data) : data;
      if (chunk.length === 0) return;
      const allowed = this.events.allowOutput(chunk.length);
      if (allowed > 0)
        emit(decoder.write(allowed < chunk.length ? chunk.subarray(0, allowed) : chunk));
    });
    return new Promise((resolve) => {
      stream.once('close', () => {
        emit(decoder.end());
        resolve();
      });
    });
  }

  private readReports(stream: Readable): void {
    const lines = new ReportLines(REPORT_BUDGET);
    stream.setEncoding('utf8');
    // Past the budget the stream is still read (and dropped), so the peer never blocks on it.
    stream.on('data', (text: string) => {
      for (const line of lines.push(text)) {
        const report = parseReport(line);
        if (!report) continue;
        // The run's own (bounded where the peer makes them): neither kept nor counted here.
        if (RUN_REPORTS.has(report.event)) this.events.report(report);
        else if (this.reports.length < MAX_REPORTS) {
          this.reports.push(report);
          this.events.report(report);
          this.wakeReportWaiters(report.event);
        }
      }
    });
    stream.on('error', () => {});
  }

  private wakeReportWaiters(event: string): void {
    const waiting = this.reportWaiters.filter((waiter) => waiter.event === event);
    if (waiting.length === 0) return;
    this.reportWaiters = this.reportWaiters.filter((waiter) => waiter.event !== event);
    for (const waiter of waiting) waiter.resolve();
  }
}

function parseReport(line: string): PeerReport | null {
  try {
    const value = JSON.parse(line) as unknown;
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as PeerReport).event === 'string'
    ) {
      return value as PeerReport;
    }
  } catch {
    // A peer only writes JSON lines; anything else is ignored.
  }
  return null;
}

/** Waits for the pipes to close, but not longer than `ms`. */
function drainWithin(drained: Promise<void>[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([Promise.all(drained).then(() => undefined), limit]).finally(() =>
    clearTimeout(timer),
  );
}
