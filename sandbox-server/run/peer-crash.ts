/**
 * When a peer's end on its own ends the run, and what the learner is told. Peers are helpers the
 * learner's code relies on: a server peer only stops when the run stops it, so its exit is a
 * crash; a client peer exits when it is done (0, or 1 when the learner's server failed it, a
 * normal result the checks judge), so only a signal or PEER_CRASH_STATUS is one.
 */
import type { Notice } from '../../lib/protocol.ts';
import { PEER_CATALOG } from '../peers/catalog.ts';
import { PEER_CRASH_STATUS } from '../peers/config.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import type { ProcessExit } from './run-process.ts';

/** True when `exit`, not caused by the run, means the peer crashed. */
export function peerCrashed(plan: PlannedProcess, exit: ProcessExit): boolean {
  if (plan.kind !== 'peer' || !plan.peer) return false;
  if (exit.signal !== null || exit.exitCode === PEER_CRASH_STATUS) return true;
  return PEER_CATALOG[plan.peer.peer].role === 'server';
}

/** The notice ending a run whose peer crashed: which peer, how, and where to look. */
export function peerCrashNotice(label: string, exit: ProcessExit): Notice {
  return { code: 'peer-crashed', params: { label, signal: exit.signal, exitCode: exit.exitCode } };
}
