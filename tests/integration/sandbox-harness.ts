/**
 * Helpers for the sandbox integration tests: run files through the real startRun, collect the
 * events with their arrival times, and prove afterwards that the run left nothing behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { LessonDefinition, RunRecord } from '../../lib/lessons/define.ts';
import { ServerMessage, type Lang, type RunEvent } from '../../lib/protocol.ts';
import { CGROUP_PARENT, runParentDirs } from '../../sandbox-server/jail/cgroups/driver.ts';
import { listNetns } from '../../sandbox-server/jail/netns.ts';
import {
  FIRST_LEARNER_UID,
  FIRST_PEER_UID,
  MAX_SLOTS,
} from '../../sandbox-server/jail/slot-locks.ts';
import { DEFAULT_LIMITS, type RunLimitsConfig } from '../../sandbox-server/limits.ts';
import { SandboxHost } from '../../sandbox-server/run/sandbox-host.ts';
import { runChecks } from '../../sandbox-server/judge/run-checks.ts';
import { CHECK_TIMEOUT_MS } from '../../sandbox-server/judge/judge.ts';
import type { RunHandle, SandboxInfo } from '../../sandbox-server/run/start-run.ts';

/**
 * The sandbox host of this test file; a file changes its settings (testHost.configure) before its
 * first run. No namespaces made ahead: after a run, none of this test process's may exist.
 */
export const testHost = new SandboxHost({ readyNetns: 0 });

/** An event and when it arrived, in ms since startRun. */
export type Timed = RunEvent & { at: number };

/** A finished test run. */
export interface TestRun {
  events: Timed[];
  record: RunRecord;
  info: SandboxInfo;
  handle: RunHandle;
}

/** Options of a test run. */
export interface TestRunOptions {
  /** The lesson, with the modules its files import when a test needs them (RunOptions). */
  lesson?: LessonDefinition & { pythonImports?: readonly string[] };
  limits?: Partial<RunLimitsConfig>;
  stdin?: Record<string, string>;
  /** Preferred sandbox slot (another is taken when it is busy). */
  slot?: number;
  /** The seed of the run's faults (default: a random one). */
  seed?: number;
  /** The learner's language (default: English). */
  lang?: Lang;
  /** false: the run never takes a sandbox made ahead (default: it may). */
  warmSandbox?: boolean;
  /** Called with each event and the handle, e.g. to type into a process. */
  onEvent?: (event: Timed, handle: RunHandle) => void;
}

let counter = 0;

/** Runs `files` (name → source) in a fresh sandbox and returns everything that happened. */
export async function runFiles(
  files: Record<string, string>,
  options: TestRunOptions = {},
): Promise<TestRun> {
  counter += 1;
  const runId = `test-${process.pid}-${counter}`;
  const started = performance.now();
  const events: Timed[] = [];
  let info: SandboxInfo | null = null;
  // Events start before startRun returns: until then they wait in `pending`.
  const box: { handle?: RunHandle } = {};
  const pending: Timed[] = [];
  const onEvent = (event: RunEvent): void => {
    const timed = { ...event, at: performance.now() - started } as Timed;
    expect(
      ServerMessage.safeParse(event).success,
      `event ${event.type} must match the protocol`,
    ).toBe(true);
    events.push(timed);
    if (!box.handle) return void pending.push(timed);
    info ??= box.handle.sandbox();
    options.onEvent?.(timed, box.handle);
  };
  const handle = testHost.startRun(
    {
      runId,
      files: Object.entries(files).map(([name, content]) => ({ name, content })),
      lesson: options.lesson,
      // A test's inline checks, judged as the judge's worker judges a check.ts.
      judge: options.lesson?.checks?.length
        ? (record) =>
            runChecks(options.lesson!.checks!, record, options.lang ?? 'en', CHECK_TIMEOUT_MS)
        : undefined,
      lang: options.lang ?? 'en',
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      stdin: options.stdin,
      slot: options.slot,
      seed: options.seed,
      warmSandbox: options.warmSandbox,
    },
    onEvent,
  );
  box.handle = handle;
  for (const event of pending) options.onEvent?.(event, handle);
  const record = await handle.done;
  expect(info, 'the run must have held a sandbox').not.toBeNull();
  return { events, record, info: info!, handle };
}

/** Everything process `name` wrote to `stream`, from the output events. */
export function outputOf(
  run: TestRun,
  name: string,
  stream: 'stdout' | 'stderr' = 'stdout',
): string {
  return run.events
    .filter((event) => event.type === 'output' && event.process === name && event.stream === stream)
    .map((event) => (event as Extract<Timed, { type: 'output' }>).data)
    .join('');
}

/** The event of `type` (for `process`, if given). */
export function eventOf<T extends Timed['type']>(
  run: TestRun,
  type: T,
  process?: string,
): Extract<Timed, { type: T }> {
  const found = run.events.find(
    (event) =>
      event.type === type &&
      (process === undefined || ('process' in event && event.process === process)),
  );
  if (!found) throw new Error(`no ${type} event${process ? ` for ${process}` : ''}`);
  return found as Extract<Timed, { type: T }>;
}

/** Asserts that nothing of the run remains: namespace, cgroup directories, processes. */
export function expectNothingLeft(info: SandboxInfo): void {
  expect(listNetns(), 'network namespace').not.toContain(info.netns);
  for (const parent of runParentDirs())
    expect(existsSync(path.join(parent, info.netns)), `cgroup in ${parent}`).toBe(false);
  expect(processesOfRun(info.netns), 'processes in the run cgroups').toEqual([]);
  expect(slotProcessesOutsideRuns(), 'sandbox-uid processes outside any run cgroup').toEqual([]);
}

/**
 * How the host sees the live processes of a run's role: real uid, uid map (outer ids) and
 * capabilities. (The peer role also holds the run's packet capture, which has its own user.)
 */
export function hostView(
  name: string,
  role: 'learner' | 'peer' = 'learner',
): Array<{ pid: number; uid: number; uidMap: string; capEff: string }> {
  return processesOfRun(`${name}/${role}`).map((pid) => {
    const status = readOr(`/proc/${pid}/status`);
    return {
      pid,
      uid: Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]),
      uidMap: readOr(`/proc/${pid}/uid_map`).trim().split(/\s+/).join(' '),
      capEff: /^CapEff:\s+(\w+)/m.exec(status)?.[1] ?? '',
    };
  });
}

/** Pids of any state, zombies included, that run as `uid`. */
export function processesOfUid(uid: number): number[] {
  return allPids().filter(
    (pid) => Number(/^Uid:\s+(\d+)/m.exec(readOr(`/proc/${pid}/status`))?.[1]) === uid,
  );
}

/** Pids whose cgroup path names this run. */
function processesOfRun(name: string): number[] {
  return allPids().filter((pid) =>
    readOr(`/proc/${pid}/cgroup`).includes(`/${CGROUP_PARENT}/${name}/`),
  );
}

/**
 * Live pids running as a sandbox uid but in no run's cgroup: escaped processes. A task that is
 * exiting (a zombie, or PF_EXITING while the kernel frees its memory) is not counted: it runs
 * no more code, and cgroup v1 already shows it in the root group.
 */
function slotProcessesOutsideRuns(): string[] {
  return allPids().flatMap((pid) => {
    const status = readOr(`/proc/${pid}/status`);
    if (/^State:\s+Z/m.test(status) || isExiting(pid)) return [];
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    const isSlotUid =
      (uid >= FIRST_LEARNER_UID && uid < FIRST_LEARNER_UID + MAX_SLOTS) ||
      (uid >= FIRST_PEER_UID && uid < FIRST_PEER_UID + MAX_SLOTS);
    if (!isSlotUid) return [];
    // Empty: the process exited between the two reads (another run's, ending), not an escape.
    const cgroup = readOr(`/proc/${pid}/cgroup`);
    if (cgroup === '' || cgroup.includes(`/${CGROUP_PARENT}/`)) return [];
    const command = readOr(`/proc/${pid}/cmdline`).replaceAll('\0', ' ').trim();
    // A task that began to exit after the first look: on cgroup v1 its exit moves it to the root
    // cgroups (and frees its command line) before it is a zombie. Not an escape.
    if (isExiting(pid) || /^State:\s+Z/m.test(readOr(`/proc/${pid}/status`))) return [];
    return [`${pid} uid ${uid} (${command}) in ${cgroup.trim().split('\n').join(', ')}`];
  });
}

/** PF_EXITING, from the flags field of /proc/<pid>/stat (the 9th, counted after the name). */
function isExiting(pid: number): boolean {
  const stat = readOr(`/proc/${pid}/stat`);
  const flags = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]);
  return stat === '' || (flags & 0x4) !== 0;
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Python source from indented lines (so tests can be written inline). */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values);
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}
