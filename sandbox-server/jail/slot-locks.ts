/**
 * Host-wide exclusive slots. A slot is a pair of unprivileged uids (one for learner code, one for
 * peers) that no other run uses at the same time, so RLIMIT_NPROC and every per-uid kernel quota
 * count one run only, and one run's processes can never signal another's. The lock is an
 * abstract UNIX socket bound in the network namespace: exclusive across processes (a CLI run
 * next to the server, parallel test files) and released by the kernel if the holder dies.
 *
 * Servers in separate network namespaces (two pods on one node) cannot see each other's locks:
 * each is given its own uid base (HANDSHAKE_UID_BASE), so their uids never meet.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_UID_BASE, MAX_SLOTS, PEER_UID_OFFSET } from '../uid-range.ts';

export { DEFAULT_UID_BASE, MAX_SLOTS, PEER_UID_OFFSET } from '../uid-range.ts';
/** First uid of learner code under the default base. */
export const FIRST_LEARNER_UID = DEFAULT_UID_BASE;
/** First uid of peers under the default base. */
export const FIRST_PEER_UID = DEFAULT_UID_BASE + PEER_UID_OFFSET;

/** A held slot. */
export interface SlotLease {
  index: number;
  learnerUid: number;
  peerUid: number;
  release(): void;
}

/** Takes a free slot of the host with `uidBase`, `preferred` first; waits (polling) while all are held. */
export async function acquireSlot(
  uidBase: number,
  preferred?: number,
  signal?: AbortSignal,
): Promise<SlotLease> {
  const order = slotOrder(preferred);
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    for (const index of order) {
      const server = await tryLock(slotLockName(uidBase + index));
      if (server) return lease(uidBase, index, server);
    }
    if (signal?.aborted) throw new Error('stopped while waiting for a sandbox slot');
    await delay(wait);
  }
}

/**
 * The lock of a learner uid. Keyed by the uid rather than the slot index, so hosts with
 * overlapping bases in one namespace still never share a uid; named as slot `uid - 61000`, the
 * name servers gave slots before uid bases, so one of those running beside a new one is excluded too.
 */
function slotLockName(learnerUid: number): string {
  return `handshake-slot-${learnerUid - DEFAULT_UID_BASE}`;
}

function slotOrder(preferred?: number): number[] {
  const all = Array.from({ length: MAX_SLOTS }, (_, index) => index);
  if (preferred === undefined || preferred < 0 || preferred >= MAX_SLOTS) return all;
  return [preferred, ...all.filter((index) => index !== preferred)];
}

/**
 * Binds the abstract socket `name`: the server when this process now holds it, null when another
 * holder (in this network namespace) has it. Close the server to release it.
 */
export function tryLock(name: string): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', () => resolve(null));
    server.listen({ path: `\0${name}`, exclusive: true }, () => {
      // The lock must never keep the server's event loop alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

function lease(uidBase: number, index: number, server: net.Server): SlotLease {
  let released = false;
  return {
    index,
    learnerUid: uidBase + index,
    peerUid: uidBase + PEER_UID_OFFSET + index,
    release: () => {
      if (released) return;
      released = true;
      server.close();
    },
  };
}
