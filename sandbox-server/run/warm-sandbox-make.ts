/**
 * Making one warm sandbox (see warm-sandboxes.ts): resources, the packet capture listening, and
 * the plan's peers started in their leaves, servers listening and clients held back. Anything
 * that fails gives back everything made so far.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { startLauncher } from '../jail/launcher-pool.ts';
import type { RunLimitsConfig } from '../limits.ts';
import { PEER_CATALOG } from '../peers/catalog.ts';
import { peerBundle } from '../peers/bundle.ts';
import { SEEDED_PEERS } from '../peers/config.ts';
import { DeferredEvents } from './deferred-events.ts';
import type { PlannedProcess } from './plan.ts';
import { processSpec, type RunContext } from './process-spec.ts';
import { acquireResources, leafKey, releaseResources, type RunResources } from './resources.ts';
import { PendingCapture, type CaptureSettings } from './run-capture.ts';
import { RunProcess } from './run-process.ts';
import { pkiForPlan, type RunPki } from './run-pki.ts';
import { START_WAIT_MS } from './timing.ts';

/** A peer started ahead, and the events it has said so far. */
export interface WarmPeer {
  process: RunProcess;
  events: DeferredEvents;
}

/**
 * A sandbox made ahead: its resources, its capture, its peers by their index in the plan, and an
 * idle launcher for each learner process (so a class pressing Run at once forks no shell).
 */
export interface WarmSandbox {
  resources: RunResources;
  capture: PendingCapture | null;
  peers: Map<number, WarmPeer>;
  launchers: ChildProcess[];
  /** The certificates its TLS peers present (and its learner gets ca.pem of): its own. */
  pki?: RunPki;
}

/** Makes a sandbox for `plan` ahead of its run; rejects (having given all back) on failure. */
export async function makeWarmSandbox(
  plan: PlannedProcess[],
  limits: RunLimitsConfig,
  capture: CaptureSettings,
): Promise<WarmSandbox> {
  // Made first: nothing is held yet if it fails, and it never outlives this sandbox.
  const pki = await pkiForPlan(plan);
  const resources = await acquireResources(limits);
  const learners = plan.filter((planned) => planned.kind === 'learner').length;
  const launchers = Array.from({ length: learners }, startLauncher);
  const sandbox: WarmSandbox = { resources, capture: null, peers: new Map(), launchers, pki };
  const [pending, peers] = await Promise.allSettled([
    capture.enabled ? PendingCapture.start(capture, resources.netns, resources.cgroups) : null,
    startPeers(sandbox, plan, limits),
  ]);
  if (pending.status === 'fulfilled' && peers.status === 'fulfilled') {
    sandbox.capture = pending.value;
    return sandbox;
  }
  // The kill of the run's cgroups ends tcpdump and the peers alike.
  await discardWarmSandbox(sandbox).catch(() => {});
  throw pending.status === 'rejected' ? pending.reason : (peers as PromiseRejectedResult).reason;
}

/** Gives back a sandbox made ahead that no run took: its launchers, then all it holds. */
export function discardWarmSandbox(sandbox: WarmSandbox): Promise<void> {
  for (const launcher of sandbox.launchers.splice(0)) launcher.kill('SIGKILL');
  return releaseResources(sandbox.resources);
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
