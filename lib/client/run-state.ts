/**
 * What the browser knows about the current run, as a pure reducer over server events. Output is
 * not kept here (it streams straight into the terminals); this holds what the UI labels:
 * phase, queue position, each process's status and time, check results and why the run ended.
 * Packets and faults are not kept here either: they go to a `PacketLog` (lib/client/wire) for
 * the same reason; only the capture's and the faults' truncation notices and the capture's
 * download are.
 * Events of any other run are ignored: a new Run replaces the old one.
 */
import type {
  CheckResult,
  Notice,
  ProcessEnd,
  ProcessKind,
  RunEndReason,
  RunLimits,
  ServerMessage,
} from '../protocol.ts';

export type RunPhase = 'idle' | 'starting' | 'queued' | 'running' | 'finished';

export interface ProcessView {
  name: string;
  kind: ProcessKind;
  label: string;
  status: 'waiting' | 'running' | ProcessEnd;
  exitCode: number | null;
  signal: string | null;
  /** Client clock (ms) when it started, to show a live running time. */
  startedAt: number | null;
  /** Final running time reported by the server. */
  durationMs: number | null;
}

/** A reason the run could not proceed normally: the server's notice, or the connection lost. */
export type RunProblem =
  | { kind: 'busy'; notice: Notice; retryAfterSeconds: number }
  | { kind: 'error'; code: string; notice: Notice }
  | { kind: 'connection-lost' };

export interface RunState {
  runId: string | null;
  phase: RunPhase;
  queuePosition: number | null;
  processes: ProcessView[];
  checks: CheckResult[] | null;
  finished: { reason: RunEndReason; notice: Notice; durationMs: number } | null;
  problem: RunProblem | null;
  limits: RunLimits | null;
  /** The run's capture stopped at a limit (the programs went on); null while it did not. */
  captureTruncated: CaptureTruncation | null;
  /** The run's capture can be downloaded (capture-ready came); null until then. */
  capture: CaptureDownloadInfo | null;
  /** The seed the run's faults draw from, once the server has said (run-started). */
  seed: number | null;
  /** The run had more fault events than the server sends; its notice, or null. */
  faultsTruncated: Notice | null;
  /** The class could not record this run (run-not-saved); its notice, or null. */
  notSaved: Notice | null;
}

/** Why the packet capture stopped early, as the server said. */
export interface CaptureTruncation {
  /** Packets delivered before the limit. */
  packets: number;
  limit: 'packets' | 'bytes';
  notice: Notice;
}

/** A run's capture the server keeps for download, as capture-ready announced it. */
export interface CaptureDownloadInfo {
  token: string;
  packets: number;
  bytes: number;
  truncated: boolean;
  /** Client clock (ms) after which the server no longer has it. */
  expiresAt: number;
}

/** The state before any run. */
export const IDLE: RunState = {
  runId: null,
  phase: 'idle',
  queuePosition: null,
  processes: [],
  checks: null,
  finished: null,
  problem: null,
  limits: null,
  captureTruncated: null,
  capture: null,
  seed: null,
  faultsTruncated: null,
  notSaved: null,
};

/** The state right after the browser asked for a run with this id. */
export function startRun(runId: string): RunState {
  return { ...IDLE, runId, phase: 'starting' };
}

/** True while a run is asked for, queued or running (Stop is meaningful). */
export function isActive(state: RunState): boolean {
  return state.phase === 'starting' || state.phase === 'queued' || state.phase === 'running';
}

/** Applies one validated server event; `now` is the client clock in ms. */
export function applyEvent(state: RunState, event: ServerMessage, now: number): RunState {
  if (event.type === 'hello' || event.runId !== state.runId || state.runId === null) return state;
  switch (event.type) {
    case 'queued':
      return { ...state, phase: 'queued', queuePosition: event.position };
    case 'run-started':
      return {
        ...state,
        phase: 'running',
        queuePosition: null,
        limits: event.limits,
        seed: event.seed,
        processes: event.processes.map((p) => ({
          ...p,
          status: 'waiting',
          exitCode: null,
          signal: null,
          startedAt: null,
          durationMs: null,
        })),
      };
    case 'process-started':
      return updateProcess(state, event.process, { status: 'running', startedAt: now });
    case 'process-exited':
      return updateProcess(state, event.process, {
        status: event.end,
        exitCode: event.exitCode,
        signal: event.signal,
        durationMs: event.durationMs,
      });
    case 'checks':
      return { ...state, checks: event.results };
    case 'run-finished':
      return {
        ...state,
        phase: 'finished',
        queuePosition: null,
        finished: { reason: event.reason, notice: event.notice, durationMs: event.durationMs },
      };
    case 'busy':
      return finish(state, {
        kind: 'busy',
        notice: event.notice,
        retryAfterSeconds: event.retryAfterSeconds,
      });
    case 'error': {
      const problem = { kind: 'error' as const, code: event.code, notice: event.notice };
      // Before the run has a slot an error means it will never start; later ones (e.g. input
      // for a process that just exited) are notices, and the run ends with run-finished.
      return state.phase === 'running' || state.phase === 'finished'
        ? { ...state, problem }
        : finish(state, problem);
    }
    case 'capture-truncated':
      return {
        ...state,
        captureTruncated: { packets: event.packets, limit: event.limit, notice: event.notice },
      };
    case 'capture-ready':
      return {
        ...state,
        capture: {
          token: event.token,
          packets: event.packets,
          bytes: event.bytes,
          truncated: event.truncated,
          expiresAt: now + event.expiresInSeconds * 1000,
        },
      };
    case 'faults-truncated':
      return { ...state, faultsTruncated: event.notice };
    case 'run-not-saved':
      return { ...state, notSaved: event.notice };
    case 'output':
    case 'output-skipped':
    case 'packet':
    case 'fault':
      return state;
  }
}

/** The socket dropped: a run in flight is gone with it (the server ends runs of closed sockets). */
export function connectionLost(state: RunState): RunState {
  return isActive(state) ? finish(state, { kind: 'connection-lost' }) : state;
}

function finish(state: RunState, problem: RunProblem): RunState {
  const processes = state.processes.map((p) =>
    p.status === 'running' || p.status === 'waiting' ? { ...p, status: 'killed' as const } : p,
  );
  return { ...state, phase: 'finished', queuePosition: null, problem, processes };
}

function updateProcess(state: RunState, name: string, change: Partial<ProcessView>): RunState {
  return {
    ...state,
    processes: state.processes.map((p) => (p.name === name ? { ...p, ...change } : p)),
  };
}

/** A fresh run id: 16 URL-safe random characters, as the protocol's RunId requires. */
export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}
