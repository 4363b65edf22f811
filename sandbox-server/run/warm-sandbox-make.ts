/**
 * Making one warm sandbox (see warm-sandboxes.ts): resources, the packet capture listening, and
 * the plan's peers started in their leaves, servers listening and clients held back. Anything
 * that fails gives back everything made so far.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startLauncher } from '../jail/launcher-pool.ts';
import {
  addAppFiles,
  makeAppDir,
  READY_MARKER,
  removeAppDir,
  type AppDir,
} from '../jail/pywarm.ts';
import { preimportFor } from '../plan/pywarm-modules.ts';
import { learnerSeccomp } from '../jail/seccomp/filter.ts';
import type { RunLimitsConfig } from '../limits.ts';
import { PEER_CATALOG } from '../peers/catalog.ts';
import { peerBundle } from '../peers/bundle.ts';
import { SEEDED_PEERS } from '../peers/config.ts';
import { DeferredEvents } from './deferred-events.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import { processSpec, warmLearnerSpec, type RunContext } from './process-spec.ts';
import { acquireResources, leafKey, releaseResources, type RunResources } from './resources.ts';
import { PendingCapture, type CaptureSettings } from './run-capture.ts';
import { RunProcess } from './run-process.ts';
import { learnerTlsFiles, pkiForPlan, type RunPki } from './run-pki.ts';
import type { SandboxHost } from './sandbox-host.ts';
import { START_WAIT_MS } from './timing.ts';

/** A peer started ahead, and the events it has said so far. */
export interface WarmPeer {
  process: RunProcess;
  events: DeferredEvents;
}

/** A learner's Python started ahead (jail/pywarm.ts), waiting for its files and go line. */
export interface WarmPython {
  process: RunProcess;
  events: DeferredEvents;
  app: AppDir;
}

/**
 * A sandbox made ahead: its resources, its capture, its peers and warm Pythons by their index in
 * the plan, and an idle launcher for each learner process without a warm Python (so a class
 * pressing Run at once forks no shell).
 */
export interface WarmSandbox {
  resources: RunResources;
  capture: PendingCapture | null;
  peers: Map<number, WarmPeer>;
  pythons: Map<number, WarmPython>;
  launchers: ChildProcess[];
  /** The certificates its TLS peers present (and its learner gets ca.pem of): its own. */
  pki?: RunPki;
}

/**
 * How long a warm Python may take to import its modules: ~40 ms of CPU, but a busy machine
 * (a class's burst, other runs) can stretch that far; a sandbox late beyond it is given back.
 */
const PYTHON_READY_MS = 15_000;

/** Sandbox settings that decide what a sandbox made ahead holds. */
export interface WarmMakeSettings {
  capture: CaptureSettings;
  /** Start each learner's Python ahead (jail/pywarm.ts); else only an idle launcher. */
  warmPython: boolean;
}

/** Makes a sandbox for `plan` ahead of its run; rejects (having given all back) on failure. */
export async function makeWarmSandbox(
  host: SandboxHost,
  plan: PlannedProcess[],
  limits: RunLimitsConfig,
  settings: WarmMakeSettings,
): Promise<WarmSandbox> {
  // Made first: nothing is held yet if it fails, and it never outlives this sandbox.
  const pki = await pkiForPlan(plan);
  const resources = await acquireResources(host, limits);
  const sandbox: WarmSandbox = {
    resources,
    capture: null,
    peers: new Map(),
    pythons: new Map(),
    launchers: [],
    pki,
  };
  const { capture } = settings;
  const [pending, peers, pythons] = await Promise.allSettled([
    capture.enabled ? PendingCapture.start(capture, resources.netns, resources.cgroups) : null,
    startPeers(sandbox, plan, limits),
    settings.warmPython ? startPythons(host, sandbox, plan, limits) : null,
  ]);
  const learners = plan.filter((planned) => planned.kind === 'learner').length;
  while (sandbox.launchers.length + sandbox.pythons.size < learners)
    sandbox.launchers.push(startLauncher());
  const failed = [pending, peers, pythons].find((result) => result.status === 'rejected');
  if (!failed && pending.status === 'fulfilled') {
    sandbox.capture = pending.value;
    return sandbox;
  }
  // The kill of the run's cgroups ends tcpdump, the peers and the Pythons alike.
  await discardWarmSandbox(host, sandbox).catch(() => {});
  throw (failed as PromiseRejectedResult).reason;
}

/** Gives back a sandbox made ahead that no run took: its launchers, then all it holds. */
export async function discardWarmSandbox(host: SandboxHost, sandbox: WarmSandbox): Promise<void> {
  for (const launcher of sandbox.launchers.splice(0)) launcher.kill('SIGKILL');
  try {
    await releaseResources(host, sandbox.resources);
  } finally {
    await removeAppDirs([...sandbox.pythons.values()].map(({ app }) => app));
  }
}

/** Removes app directories once their jails are gone; throws after trying them all. */
export async function removeAppDirs(apps: AppDir[]): Promise<void> {
  const results = await Promise.allSettled(apps.map((app) => removeAppDir(app)));
  const problems = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason] : [],
  );
  if (problems.length > 0) throw new AggregateError(problems, 'removing app directories failed');
}

/**
 * Starts each learner process's Python ahead, in its own leaf (so its pids and memory count for
 * the run from the first moment), with its app directory holding the bootstrap.
 */
async function startPythons(
  host: SandboxHost,
  sandbox: WarmSandbox,
  plan: PlannedProcess[],
  limits: RunLimitsConfig,
): Promise<void> {
  const seccomp = await learnerSeccomp();
  const { resources } = sandbox;
  const context: RunContext = {
    netnsPath: resources.netnsPath,
    learnerUid: resources.slot.learnerUid,
    peerUid: resources.slot.peerUid,
    limits,
    files: [],
    seccomp,
  };
  for (const [index, planned] of plan.entries()) {
    if (planned.kind !== 'learner') continue;
    const modules = planned.preimport ?? preimportFor(undefined);
    const app = await makeAppDir(
      host.names.next(),
      planned.file!,
      resources.slot.learnerUid,
      modules,
    );
    // The run's certificates are there from the start, as a cold start's data files are.
    const tls = sandbox.pki ? learnerTlsFiles(sandbox.pki) : [];
    addAppFiles(
      app,
      tls.map((file) => ({ name: path.posix.basename(file.path), content: file.content })),
    );
    const events = new DeferredEvents();
    const process = new RunProcess(planned, events);
    sandbox.pythons.set(index, { process, events, app });
    const leaf = resources.cgroups.addProcess('learner', leafKey(index));
    const spec = warmLearnerSpec(planned.file!, context, app.path);
    process.start({ ...spec, cgroupProcs: leaf.procsFiles }, leaf, null, READY_MARKER);
  }
  await pythonsReady(sandbox);
}

/**
 * Resolves once every warm Python has imported its modules and waits for its go line: only then
 * is the sandbox offered, so a run never renames its program over a bootstrap Python has not
 * read yet (on a busy machine that would run the program cold, with nothing imported).
 */
async function pythonsReady(sandbox: WarmSandbox): Promise<void> {
  const timer = new AbortController();
  const outcome = await Promise.race([
    Promise.all([...sandbox.pythons.values()].map(({ process }) => process.ready)).then(
      () => 'ready',
    ),
    delay(PYTHON_READY_MS, 'late', { signal: timer.signal }),
  ]).finally(() => timer.abort());
  if (outcome !== 'ready') throw new Error('a warm Python was late to import its modules');
}

/** Starts every peer of the plan and resolves once the servers among them listen. */
async function startPeers(
  sandbox: WarmSandbox,
  plan: PlannedProcess[],
  limits: RunLimitsConfig,
): Promise<void> {
  if (!plan.some((planned) => planned.kind === 'peer')) return;
  const { resources } = sandbox;
  const context: RunContext = {
    netnsPath: resources.netnsPath,
    learnerUid: resources.slot.learnerUid,
    peerUid: resources.slot.peerUid,
    limits,
    files: [],
    peerBundle: await peerBundle(),
    pki: sandbox.pki,
  };
  plan.forEach((planned, index) => {
    if (planned.kind === 'peer')
      sandbox.peers.set(index, startPeer(planned, index, context, resources));
  });
  await serversListening(sandbox);
}

/**
 * Starts one peer in its leaf; a server is told to go at once (its stdin closes), except a
 * seeded one: it listens anyway, and its stdin brings the run's seed when the run reaches it.
 */
function startPeer(
  planned: PlannedProcess,
  index: number,
  context: RunContext,
  resources: RunResources,
): WarmPeer {
  const events = new DeferredEvents();
  const process = new RunProcess(planned, events);
  const leaf = resources.cgroups.addProcess('peer', leafKey(index));
  process.start({ ...processSpec(planned, context), cgroupProcs: leaf.procsFiles }, leaf);
  if (isServer(planned) && !SEEDED_PEERS.has(planned.peer!.peer)) process.endInput();
  return { process, events };
}

/** Resolves once every server peer reports `listening`; rejects if one exits or is late. */
async function serversListening(sandbox: WarmSandbox): Promise<void> {
  const servers = [...sandbox.peers.values()].filter(({ process }) => isServer(process.plan));
  const timer = new AbortController();
  const outcome = await Promise.race([
    Promise.all(servers.map(({ process }) => process.reported('listening'))).then(() => 'ready'),
    Promise.race(servers.map(({ process }) => process.exited)).then(() => 'exited'),
    delay(START_WAIT_MS, 'late', { signal: timer.signal }),
  ]);
  timer.abort();
  if (outcome !== 'ready') throw new Error(`a warm peer ${outcome} before it listened`);
}

/** True for a peer that serves (and so starts at once, ahead of its run). */
export function isServer(planned: PlannedProcess): boolean {
  return planned.peer !== undefined && PEER_CATALOG[planned.peer.peer].role === 'server';
}
