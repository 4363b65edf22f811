/**
 * The front's RunEngine: a proxy to the privileged jailer over the channel main.ts hands it.
 * Requests are checked here first (so a bad one is refused at once, as before the split) and
 * again in the jailer. When the jailer dies, its runs end with an honest message; main.ts starts
 * a new jailer and hands over a new channel, and runs started meanwhile wait for it.
 */
import type { Socket } from 'node:net';
import type { RunRecord } from '../../lib/lessons/define.ts';
import { Judge, type LoadedLesson } from '../judge/judge.ts';
import type { SandboxConfig } from '../config.ts';
import { prepareRun, type RunSetup } from '../plan/setup.ts';
import { RunInputError } from '../plan/input-error.ts';
import { LineChannel } from '../jailer/line-channel.ts';
import {
  LessonRun,
  JAILER_TO_FRONT,
  MAX_WARM_KINDS,
  type JailerMessage,
  type JailerStats,
  type StartRequest,
  type WarmRequest,
} from '../jailer/protocol.ts';
import {
  EngineInputError,
  type CaptureFile,
  type EngineRun,
  type EngineRunRequest,
  type RunEngine,
} from '../transport/engine.ts';
import { RemoteRun } from './remote-run.ts';
import { StatsRequests } from '../ops/jailer-stats.ts';

/** Longest a run waits for a jailer (one restarting) before it ends with an error. */
const JAILER_WAIT_MS = 15_000;

/** Where the engine reports a broken channel. */
export type FaultLog = (what: string, error: unknown) => void;

/** Runs code in the jailer, through whichever channel is current. */
export class JailerEngine implements RunEngine {
  private readonly config: SandboxConfig;
  private readonly fault: FaultLog;
  private channel: LineChannel | null = null;
  private readonly runs = new Map<string, RemoteRun>();
  private collisions = 0;
  /** The latest demand for sandboxes made ahead, kept for a jailer that restarts. */
  private demand: WarmRequest | null = null;
  /** Loads lessons and judges their runs: instructor code runs there, not in this thread. */
  readonly judge: Judge;
  private readonly statsRequests = new StatsRequests();

  constructor(config: SandboxConfig, fault: FaultLog) {
    this.config = config;
    this.fault = fault;
    this.judge = new Judge(config.contentDir);
  }

  /** Talks to the jailer over `socket` from now on (the first jailer, or a restarted one). */
  attach(socket: Socket): void {
    this.channel?.close();
    const channel: LineChannel = new LineChannel(socket, JAILER_TO_FRONT, {
      message: (value) => this.receive(value as JailerMessage),
      invalid: (why) => this.fault('jailer channel', new Error(why)),
      closed: () => this.detached(channel),
    });
    this.channel = channel;
    if (this.demand) channel.send(this.demand); // a new jailer learns what to get ready
    for (const run of this.runs.values()) if (!run.sent) this.sendStart(run);
  }

  /** Asks the jailer to keep sandboxes ready for the lessons browsers show. */
  warmUp(demand: Array<{ lesson: LoadedLesson; count: number }>): void {
    this.demand = {
      type: 'warm',
      kinds: demand
        .slice(0, MAX_WARM_KINDS)
        .map(({ lesson, count }) => ({ lesson: lessonRunOf(lesson), count })),
    };
    if (this.channel?.open) this.channel.send(this.demand);
  }

  /** How the jailer is doing, or null when there is none or it does not answer within 1 s. */
  stats(): Promise<JailerStats | null> {
    return this.statsRequests.ask((request) => {
      if (!this.channel?.open) return false;
      this.channel.send(request);
      return true;
    });
  }

  loadLesson(slug: string): Promise<LoadedLesson | undefined> {
    return this.judge.load(slug);
  }

  validate(request: Omit<EngineRunRequest, 'slot'>): void {
    this.prepare(request);
  }

  start(
    request: EngineRunRequest,
    emit: Parameters<RunEngine['start']>[1],
    capture?: (file: CaptureFile) => void,
  ): EngineRun {
    const setup = this.prepare(request);
    const { files, lang, lesson, slot, seed } = request;
    const runId = this.channelRunId(request.runId);
    const start: StartRequest = {
      type: 'start',
      runId,
      files,
      lang,
      // Its processes and limits, as data: the checks stay here (see jailer/protocol.ts).
      ...(lesson ? { lesson: lessonRunOf(lesson) } : {}),
      slot,
      wantRecord: (lesson?.checks.length ?? 0) > 0,
      wantCapture: capture !== undefined && this.config.capture,
      ...(seed === undefined ? {} : { seed }),
    };
    const names = setup.plan.map((planned) => planned.name);
    const receiver = capture && { keep: capture, maxBytes: this.config.captureMaxKiB * 1024 };
    const judge =
      lesson && lesson.checks.length > 0
        ? (record: RunRecord) => this.judge.judge(lesson.slug, record, lang)
        : undefined;
    const run = new RemoteRun(
      start,
      names,
      judge,
      emit,
      {
        send: (message) => this.channel?.send(message),
        forget: (id) => this.runs.delete(id),
        fault: (what) => this.fault(`run ${runId}`, new Error(what)),
      },
      receiver ?? null,
    );
    this.runs.set(runId, run);
    if (this.channel?.open) this.sendStart(run);
    else this.waitForJailer(run);
    return run;
  }

  /**
   * The id a run has on the jailer channel. Browsers choose run ids unique per connection only,
   * and the jailer holds a run until its teardown ends, after the browser heard run-finished: a
   * run of another connection with the same id must not meet it there (the jailer would refuse
   * it, and a live run's events would go to the wrong browser). Events reach the browser under
   * its own id again (transport/run-session.ts).
   */
  private channelRunId(runId: string): string {
    let id = runId;
    while (this.runs.has(id)) id = `${(++this.collisions).toString(36)}_${runId}`.slice(0, 64);
    return id;
  }

  private prepare(request: Omit<EngineRunRequest, 'slot'>): RunSetup {
    const { limits } = this.config;
    try {
      return prepareRun({
        ...request,
        limits: limits.defaults,
        limitBounds: { min: limits.min, max: limits.max },
      });
    } catch (error) {
      if (error instanceof RunInputError) throw new EngineInputError(error.code, error.notice);
      throw error;
    }
  }

  private sendStart(run: RemoteRun): void {
    run.sent = true;
    this.channel!.send(run.start);
  }

  private waitForJailer(run: RemoteRun): void {
    const timer = setTimeout(() => {
      if (!run.sent) run.onJailerLost();
    }, JAILER_WAIT_MS);
    void run.done.finally(() => clearTimeout(timer));
  }

  private receive(message: JailerMessage): void {
    if (message?.type === 'stats') return this.statsRequests.answer(message);
    const run = this.runs.get(message?.runId);
    if (!run) return;
    if (message.type === 'event') run.onEvent(message.event);
    else if (message.type === 'capture-chunk') run.onCaptureChunk(message.data);
    else if (message.type === 'capture-end') run.onCaptureEnd(message);
    else if (message.type === 'done') void this.finish(run, message.record);
    else if (message.type === 'refused') {
      this.fault(`jailer refused run ${message.runId}`, new Error(message.message));
      run.onRefused();
    }
  }

  private async finish(run: RemoteRun, record: RunRecord | undefined): Promise<void> {
    try {
      await run.onDone(record);
    } catch (error) {
      this.fault(`judging run ${run.start.runId}`, error);
      run.onJailerLost();
    }
  }

  private detached(channel: LineChannel): void {
    if (this.channel !== channel) return;
    this.channel = null;
    const lost = [...this.runs.values()].filter((run) => run.sent);
    if (lost.length > 0)
      this.fault('jailer channel', new Error(`the jailer went away with ${lost.length} run(s)`));
    for (const run of lost) run.onJailerLost();
  }
}

/** What a lesson contributes to a run inside the jailer: processes and limits, as data. */
function lessonRunOf(lesson: LoadedLesson): LessonRun {
  return LessonRun.parse({
    processes: lesson.processes,
    limits: lesson.limits ?? {},
    ...(lesson.pythonImports && { pythonImports: lesson.pythonImports }),
  });
}
