/**
 * One run's life: take resources, start processes in order (each once the previous one serves,
 * exits or 2 s pass), stream their output, watch the limits, decide the end, kill what remains,
 * judge with the lesson's checks, announce the result, and give everything back.
 */
import type { ChildProcess } from 'node:child_process';
import type { RunRecord } from '../../lib/lessons/define.ts';
import type { Notice, ProcessEnd, RunEndReason, RunEvent } from '../../lib/protocol.ts';
import type { CaptureSummary } from '../capture/capture.ts';
import type { CgroupUsage, RunCgroups } from '../jail/cgroups/types.ts';
import { blockedThreads } from '../jail/proc-blocked.ts';
import { fillAppDir, GO_LINE, type AppDir } from '../jail/pywarm.ts';
import { learnerSeccomp } from '../jail/seccomp/filter.ts';
import { BUSY_REPORT } from '../peers/busy-horizon.ts';
import { peerBundle } from '../peers/bundle.ts';
import { OutputCoalescer } from './coalescer.ts';
import { RunInputError } from '../plan/input-error.ts';
import { limitExplainingExit, limitReached } from './limit-watch.ts';
import { endNotice } from './end-notice.ts';
import { peerCrashed, peerCrashNotice } from './peer-crash.ts';
import { processSpec, type RunContext } from './process-spec.ts';
import { pkiForPlan, type RunPki } from './run-pki.ts';
import { goLine, peerSeed, randomSeed } from './peer-seed.ts';
import { buildRecord } from './record.ts';
import { RunFaults } from './run-faults.ts';
import { RunCapture, type PendingCapture, type RunCaptureContext } from './run-capture.ts';
import { CAPTURE_DEFAULTS } from '../capture/capture-limits.ts';
import { CPU_SHARE_STEPS, cpuStepsFor } from './cpu-share.ts';
import { acquireResources, leafKey, releaseResources, type RunResources } from './resources.ts';
import type { SandboxHost } from './sandbox-host.ts';
import { RunProcess, type ProcessEvents, type ProcessExit } from './run-process.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import type { WarmSandbox } from './warm-sandboxes.ts';
import { removeAppDirs } from './warm-sandbox-make.ts';
import type { RunSetup } from '../plan/setup.ts';
import { NaturalEnd } from './natural-end.ts';
import { servingProcesses, waitUntilReady } from './serving.ts';
import {
  COALESCE_WINDOW_MS,
  MAX_OUTPUT_EVENT_CHARS,
  MAX_REPORTS,
  MONITOR_TICK_MS,
  END_CHECK_MS,
  PARTIAL_LINE_MS,
  START_WAIT_MS,
} from './timing.ts';
import type { RunOptions, SandboxInfo } from './types.ts';

/** A run in progress. */
export class Run {
  readonly runId: string;
  readonly processes: RunProcess[];
  private readonly host: SandboxHost;
  private readonly options: RunOptions;
  private readonly setup: RunSetup;
  private readonly emitEvent: (event: RunEvent) => void;
  private readonly coalescer: OutputCoalescer;
  private readonly startedAt = performance.now();
  private readonly reports: RunRecord['reports'] = [];
  /** The seed the fault peers draw from. */
  readonly seed: number;
  private readonly faults: RunFaults;
  private readonly ends = new Map<RunProcess, ProcessEnd>();
  private readonly exitHandled: Promise<void>[] = [];
  private resources: RunResources | null = null;
  /** This run's certificates (TLS peers only): a warm sandbox's own, or made for this run. */
  private pki: RunPki | undefined;
  /** Peers that came started with a warm sandbox: the run only tells them to go. */
  private readonly prestarted = new Set<RunProcess>();
  /** Idle launchers that came with a warm sandbox, for the learner processes. */
  private launchers: ChildProcess[] = [];
  /** Learner Pythons that came started with a warm sandbox, and the /app each waits for. */
  private readonly warmPythons = new Map<RunProcess, AppDir>();
  /**
   * CPU the learner cgroup had used when the run took it over: a warm Python's imports, spent
   * before the run. Limits and the CPU weight count from here, as for a cold start.
   */
  private cpuBaselineNs = 0;
  private capture: RunCapture | null = null;
  /** When each process was started, in ms since the run started (for packet owners). */
  private readonly startTimes = new Map<RunProcess, number>();
  private released = false;
  private outputUsed = 0;
  private allStarted = false;
  private reason: RunEndReason | null = null;
  /** Said instead of the reason's usual notice (a crashed peer names itself). */
  private endNote: Notice | null = null;
  private wake!: () => void;
  private readonly ended = new Promise<void>((resolve) => (this.wake = resolve));
  private readonly naturalEnd = new NaturalEnd();
  /** How many of CPU_SHARE_STEPS the run's CPU weight has gone down. */
  private cpuStepsTaken = 0;
  /** When the natural end was last looked for (see END_CHECK_MS). */
  private evaluatedAt = 0;
  private timers: Array<ReturnType<typeof setTimeout>> = [];

  constructor(
    host: SandboxHost,
    options: RunOptions,
    setup: RunSetup,
    emit: (event: RunEvent) => void,
  ) {
    this.host = host;
    this.runId = options.runId;
    this.options = options;
    this.setup = setup;
    this.emitEvent = emit;
    this.coalescer = new OutputCoalescer(
      (process, stream, data) =>
        this.emit({ type: 'output', runId: this.runId, process, stream, data }),
      {
        windowMs: COALESCE_WINDOW_MS,
        partialMs: PARTIAL_LINE_MS,
        maxChars: MAX_OUTPUT_EVENT_CHARS,
      },
    );
    this.seed = options.seed ?? randomSeed();
    this.faults = new RunFaults({
      runId: this.runId,
      limit: options.capture?.maxPackets ?? CAPTURE_DEFAULTS.maxPackets,
      elapsed: () => this.elapsed(),
      emit: (event) => this.emit(event),
      log: (what, error) => this.fault(what, error),
    });
    this.processes = setup.plan.map((planned) => new RunProcess(planned, this.eventsOf(planned)));
  }

  /** What a process of this run tells it: output against the budget, and peer reports. */
  private eventsOf(planned: PlannedProcess): ProcessEvents {
    return {
      allowOutput: (wanted) => this.allowOutput(wanted),
      output: (stream, text) => this.onOutput(planned.name, stream, text),
      report: (report) => {
        if (report.event === BUSY_REPORT) return this.peerBusy(report.ms);
        if (this.faults.take(planned.name, report)) return;
        if (this.reports.length < MAX_REPORTS)
          this.reports.push({ ...report, process: planned.name });
      },
    };
  }

  /** Ends the run with `reason` (the first reason wins). */
  end(reason: RunEndReason, notice?: Notice): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.endNote = notice ?? null;
    this.wake();
  }

  /** The process called `name`; throws RunInputError for a name not in this run. */
  process(name: string): RunProcess {
    const found = this.processes.find((process) => process.name === name);
    if (!found)
      throw new RunInputError('unknown-process', {
        code: 'unknown-process',
        params: { process: name },
      });
    return found;
  }

  /** The host objects the run holds, while it holds them. */
  sandboxInfo(): SandboxInfo | null {
    if (!this.resources || this.released) return null;
    const { netns, slot } = this.resources;
    return { netns, learnerUid: slot.learnerUid, peerUid: slot.peerUid };
  }

  /** Runs to the end; never throws. */
  async execute(): Promise<RunRecord> {
    const { limits } = this.setup;
    this.emit({
      type: 'run-started',
      runId: this.runId,
      processes: this.setup.plan.map(({ name, kind, label }) => ({ name, kind, label })),
      limits: { wallSeconds: limits.wallSeconds, outputBytes: limits.outputBytes },
      seed: this.seed,
    });
    try {
      await this.runProcesses();
    } catch (error) {
      this.fault('running', error);
      this.end('error');
      await this.killRemaining().catch((killError: unknown) => this.fault('killing', killError));
    }
    for (const timer of this.timers) clearTimeout(timer);
    // After the kill, so the capture holds the FIN/RST the kill caused; before the record.
    this.handOverCapture(await this.capture?.stop());
    const record = await this.finish();
    await this.release();
    return record;
  }

  private async runProcesses(): Promise<void> {
    const warm =
      this.options.warmSandbox === false
        ? null
        : this.host.warm.take(this.setup.plan, this.setup.limits);
    this.resources =
      warm?.resources ?? (await acquireResources(this.host, this.setup.limits, this.options.slot));
    if (warm) this.adopt(warm);
    else this.pki = await pkiForPlan(this.setup.plan);
    const [context, capture] = await Promise.all([
      this.context(this.resources),
      this.startCapture(this.resources, warm?.capture ?? null),
    ]);
    this.capture = capture;
    if (this.reason === null) {
      this.arm();
      await this.startInOrder(context);
      this.allStarted = true;
      this.evaluate();
    }
    await this.ended;
    if (this.reason === 'time-limit') this.snapshotBlocked();
    await this.killRemaining();
  }

  /** Notes what each learner process still running was blocked in, before the kill ends it. */
  private snapshotBlocked(): void {
    for (const process of this.processes) {
      if (process.plan.kind !== 'learner' || !process.running) continue;
      try {
        process.blocked = blockedThreads(process.pids().filter((pid) => pid !== process.pid));
      } catch (error) {
        this.fault('noting what a process was blocked in', error);
      }
    }
  }

  /** Takes over a sandbox made ahead: its peers replace the ones this run would start. */
  private adopt(warm: WarmSandbox): void {
    this.launchers = warm.launchers;
    this.pki = warm.pki;
    for (const [index, peer] of warm.peers) {
      peer.events.attach(this.eventsOf(peer.process.plan));
      this.processes[index] = peer.process;
      this.prestarted.add(peer.process);
    }
    for (const [index, python] of warm.pythons) {
      python.events.attach(this.eventsOf(python.process.plan));
      this.processes[index] = python.process;
      this.warmPythons.set(python.process, python.app);
    }
    if (warm.pythons.size > 0) this.cpuBaselineNs = warm.resources.cgroups.usage('learner').cpuNs;
  }

  /** The learner cgroup's counters, CPU counted from when the run took the sandbox over. */
  private learnerUsage(cgroups: RunCgroups): CgroupUsage {
    const usage = cgroups.usage('learner');
    return { ...usage, cpuNs: Math.max(0, usage.cpuNs - this.cpuBaselineNs) };
  }

  private async context(resources: RunResources): Promise<RunContext> {
    const hasPeers = this.setup.plan.some((planned) => planned.kind === 'peer');
    return {
      netnsPath: resources.netnsPath,
      learnerUid: resources.slot.learnerUid,
      peerUid: resources.slot.peerUid,
      limits: this.setup.limits,
      files: this.options.files,
      peerBundle: hasPeers ? await peerBundle() : undefined,
      seccomp: await learnerSeccomp(),
      pki: this.pki,
    };
  }

  /**
   * Starts the packet capture, or takes over the one a warm sandbox started ahead (null when
   * off or failed: the run goes on without packets).
   */
  private async startCapture(
    resources: RunResources,
    pending: PendingCapture | null,
  ): Promise<RunCapture | null> {
    const settings = this.options.capture ?? { enabled: true };
    const context: RunCaptureContext = {
      runId: this.runId,
      netns: resources.netns,
      cgroups: resources.cgroups,
      startedAt: this.startedAt,
      processes: () =>
        this.processes.map((process) => ({
          name: process.name,
          pids: () => process.pids(),
          lifetime: () => this.lifetime(process),
        })),
      emit: (event) => this.emit(event),
      log: (what, error) => this.fault(what, error ?? ''),
    };
    if (pending && settings.enabled) return RunCapture.adopt(pending, context);
    await pending?.capture.stop();
    return RunCapture.start(settings, context);
  }

  /** Gives the stopped capture's file to whoever asked for it (before checks and run-finished). */
  private handOverCapture(summary: CaptureSummary | null | undefined): void {
    const { onCapture } = this.options;
    if (!onCapture || !this.capture || !summary) return;
    const bytes = this.capture.pcap();
    if (bytes.length === 0) return; // not even a file header: nothing a reader could open
    try {
      onCapture({ bytes, packets: summary.packets, truncated: summary.truncated !== null });
    } catch (error) {
      this.fault('handing over the capture', error);
    }
  }

  private lifetime(process: RunProcess): { from: number; until?: number } | null {
    const from = this.startTimes.get(process);
    if (from === undefined) return null;
    return process.exit ? { from, until: from + process.exit.durationMs } : { from };
  }

  private arm(): void {
    // [0]: the wall clock; [1]: the current monitor tick; [2]: the end of a serving grace.
    this.timers[0] = setTimeout(() => this.end('time-limit'), this.setup.limits.wallSeconds * 1000);
    const tick = (): void => {
      this.monitor();
      if (this.reason === null) this.timers[1] = setTimeout(tick, MONITOR_TICK_MS);
    };
    this.timers[1] = setTimeout(tick, MONITOR_TICK_MS);
  }

  private async startInOrder(context: RunContext): Promise<void> {
    for (const [index, process] of this.processes.entries()) {
      const previous = this.processes[index - 1];
      if (previous && previous.plan.startNext !== 'at-once') {
        await waitUntilReady(previous, START_WAIT_MS, this.ended);
        // Learn who owns which port while short-lived processes still hold their sockets.
        this.capture?.owners.learn();
      }
      if (this.reason !== null) return;
      this.startProcess(process, index, context);
    }
  }

  /** Starts a process, or lets a peer started ahead go (feedStdin closes its stdin). */
  private startProcess(process: RunProcess, index: number, context: RunContext): void {
    this.startTimes.set(process, performance.now() - this.startedAt);
    const app = this.warmPythons.get(process);
    if (app) {
      // The files first, then the go line: the bootstrap runs the program once it reads it.
      fillAppDir(app, this.options.files);
      process.write(GO_LINE);
      process.restartClock();
    } else if (this.prestarted.has(process)) {
      process.restartClock();
    } else {
      const role = process.plan.kind === 'learner' ? 'learner' : 'peer';
      const leaf = this.resources!.cgroups.addProcess(role, leafKey(index));
      const spec = { ...processSpec(process.plan, context), cgroupProcs: leaf.procsFiles };
      process.start(spec, leaf, this.launchers.shift() ?? this.host.launchers.take());
    }
    this.emit({
      type: 'process-started',
      runId: this.runId,
      process: process.name,
      at: this.elapsed(),
    });
    this.feedStdin(process, index);
    this.exitHandled.push(process.exited.then((exit) => this.onExit(process, exit)));
  }

  /** A peer is told its seed and to go; a learner gets the CLI's stdin, if any, and EOF. */
  private feedStdin(process: RunProcess, index: number): void {
    const given = this.options.stdin;
    if (process.plan.kind === 'peer') {
      // A warm server peer that draws no faults already had its stdin closed: this is a no-op.
      process.write(goLine(peerSeed(process.plan, index, this.seed), this.options.lang));
      process.endInput();
    } else if (given !== undefined) {
      const text = given[process.name];
      if (text) process.write(text);
      process.endInput();
    }
  }

  private onExit(process: RunProcess, exit: ProcessExit): void {
    this.coalescer.flush(process.name);
    const end = this.endOf(process, exit);
    this.ends.set(process, end);
    const blocked = process.blocked ? { blocked: process.blocked } : {};
    this.emit({
      type: 'process-exited',
      runId: this.runId,
      process: process.name,
      end,
      ...exit,
      ...blocked,
    });
    this.evaluate();
  }

  /**
   * How a process ended: on its own, or stopped/killed by the run. A limit kill ends the run, and
   * so does a crashed peer: the learner's code would wait for it in vain.
   */
  private endOf(process: RunProcess, exit: ProcessExit): ProcessEnd {
    if (process.killedByRun) return this.reason === 'completed' ? 'stopped' : 'killed';
    if (peerCrashed(process.plan, exit))
      this.end('error', peerCrashNotice(process.plan.label, exit));
    const limitReason = process.plan.kind === 'learner' ? this.limitHit(exit) : null;
    if (limitReason === null) return 'exited';
    this.end(limitReason);
    return 'killed';
  }

  /** The limit that explains a learner process's death, if any. */
  private limitHit(exit: ProcessExit): RunEndReason | null {
    if (!this.resources) return null;
    return limitExplainingExit(
      this.learnerUsage(this.resources.cgroups),
      exit.signal,
      this.setup.limits,
    );
  }

  /** Periodic check of the kernel-counted limits, then of the run's natural end. */
  private monitor(): void {
    if (this.reason !== null || !this.resources) return;
    const usage = this.learnerUsage(this.resources.cgroups);
    const reached = limitReached(usage, this.setup.limits);
    if (reached) return this.end(reached);
    this.stepCpuShare(this.resources.cgroups, usage.cpuNs / 1e6);
    if (performance.now() - this.evaluatedAt >= END_CHECK_MS) this.evaluate();
  }

  /** Lowers the run's CPU weight to the step its learner code's CPU use has reached. */
  private stepCpuShare(cgroups: RunCgroups, cpuMs: number): void {
    const steps = cpuStepsFor(cpuMs);
    if (steps <= this.cpuStepsTaken) return;
    this.cpuStepsTaken = steps;
    try {
      cgroups.setCpuShare(CPU_SHARE_STEPS[steps - 1]!.share);
    } catch (error) {
      this.fault('lowering the CPU weight', error);
    }
  }

  /** Looks for the run's natural end (natural-end.ts) once every process has started. */
  private evaluate(): void {
    if (this.reason !== null || !this.allStarted) return;
    this.evaluatedAt = performance.now();
    const running = this.processes.filter((process) => process.running);
    const decision = this.naturalEnd.decide(this.evaluatedAt, {
      running: running.length,
      serving: running.length === 0 ? 0 : servingProcesses(running).size,
      onlyPeers: running.every((process) => process.plan.kind === 'peer'),
    });
    if (decision === 'completed') return this.end('completed');
    if (decision === 'working') return;
    // Look again the moment the grace runs out, not at the next monitor tick.
    clearTimeout(this.timers[2]);
    this.timers[2] = setTimeout(() => this.evaluate(), decision.lookAgainInMs);
  }

  /** A peer still sends delayed data for `ms`: the run's end waits for it (within the grace). */
  private peerBusy(ms: unknown): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms)) return;
    this.naturalEnd.peerBusy(performance.now(), ms);
  }

  private allowOutput(wanted: number): number {
    const allowed = Math.max(0, Math.min(wanted, this.setup.limits.outputBytes - this.outputUsed));
    this.outputUsed += allowed;
    if (allowed < wanted) this.end('output-limit');
    return allowed;
  }

  private onOutput(process: string, stream: 'stdout' | 'stderr', text: string): void {
    this.coalescer.push(process, stream, text);
    this.naturalEnd.output(performance.now());
  }

  private async killRemaining(): Promise<void> {
    for (const process of this.processes) if (process.running) process.killedByRun = true;
    const launchers = this.processes.flatMap((process) =>
      process.pid === undefined ? [] : [process.pid],
    );
    if (this.resources && this.capture) await this.killLeaves(this.resources);
    else if (this.resources) await this.resources.cgroups.killAll(launchers);
    await Promise.all(this.exitHandled);
  }

  /** Kills each process's leaf but not the capture's, which records what the kill sends. */
  private async killLeaves(resources: RunResources): Promise<void> {
    await Promise.all(
      this.processes.map((process, index) =>
        process.started
          ? resources.cgroups.killProcess(
              process.plan.kind === 'learner' ? 'learner' : 'peer',
              leafKey(index),
              process.pid === undefined ? [] : [process.pid],
            )
          : undefined,
      ),
    );
  }

  private async finish(): Promise<RunRecord> {
    this.coalescer.flushAll();
    const reason = this.reason ?? 'error';
    for (const process of this.processes) {
      if (this.ends.has(process)) continue;
      this.ends.set(process, 'killed');
      const exit = { exitCode: null, signal: null, durationMs: 0 };
      this.emit({
        type: 'process-exited',
        runId: this.runId,
        process: process.name,
        end: 'killed',
        ...exit,
      });
    }
    const record = buildRecord(reason, this.processes, this.ends, {
      reports: this.reports,
      faults: this.faults.recorded,
      seed: this.seed,
    });
    if (this.capture) record.packets = this.capture.packets;
    if (this.options.judge) {
      const results = await this.options.judge(record);
      this.emit({ type: 'checks', runId: this.runId, results });
    }
    const notice = this.endNote ?? endNotice(reason, this.setup.limits);
    this.emit({
      type: 'run-finished',
      runId: this.runId,
      reason,
      notice,
      durationMs: this.elapsed(),
    });
    return record;
  }

  private async release(): Promise<void> {
    for (const launcher of this.launchers.splice(0)) launcher.kill('SIGKILL'); // not needed
    if (!this.resources) return;
    this.released = true;
    try {
      await releaseResources(this.host, this.resources);
    } catch (error) {
      this.fault('cleaning up', error);
    }
    // After the kill: the jails that bound them are gone.
    await removeAppDirs([...this.warmPythons.values()]).catch((error: unknown) =>
      this.fault('removing app directories', error),
    );
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  private emit(event: RunEvent): void {
    try {
      this.emitEvent(event);
    } catch (error) {
      this.fault('emitting an event', error);
    }
  }

  private fault(what: string, error: unknown): void {
    console.error(`[sandbox] run ${this.runId}: ${what} failed:`, error);
  }
}
