/**
 * Host-wide exclusive slots. A slot is a pair of unprivileged uids (one for learner code, one for
 * peers) that no other run uses at the same time, so RLIMIT_NPROC and every per-uid kernel quota
 * count one run only, and one run's processes can never signal another's. The lock is an
 * abstract UNIX socket bound in the host's network namespace: exclusive across processes (a CLI
 * run next to the server, parallel test files) and released by the kernel if the holder dies.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Most slots on one host; uids are FIRST_*_UID + index. */
export const MAX_SLOTS = 128;
/** First uid of learner code (isolate's convention: a uid per box, from a high range). */
export const FIRST_LEARNER_UID = 61000;
/** First uid of peers: never equal to a learner uid, so learner code cannot signal a peer. */
export const FIRST_PEER_UID = 62000;

/** A held slot. */
export interface SlotLease {
  index: number;
  learnerUid: number;
  peerUid: number;
  release(): void;
}

/** Takes a free slot, `preferred` first; waits (polling) while all are held. */
export async function acquireSlot(preferred?: number, signal?: AbortSignal): Promise<SlotLease> {
  const order = slotOrder(preferred);
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    for (const index of order) {
      const server = await tryLock(index);
      if (server) return lease(index, server);
    }
    if (signal?.aborted) throw new Error('stopped while waiting for a sandbox slot');
    await delay(wait);
  }
}

function slotOrder(preferred?: number): number[] {
  const all = Array.from({ length: MAX_SLOTS }, (_, index) => index);
  if (preferred === undefined || preferred < 0 || preferred >= MAX_SLOTS) return all;
  return [preferred, ...all.filter((index) => index !== preferred)];
}

function tryLock(index: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', () => resolve(null));
    server.listen({ path: `\0handshake-slot-${index}`, exclusive: true }, () => {
      // The lock must never keep the server's event loop alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

function lease(index: number, server: net.Server): SlotLease {
  let released = false;
  return {
    index,
    learnerUid: FIRST_LEARNER_UID + index,
    peerUid: FIRST_PEER_UID + index,
    release: () => {
      if (released) return;
      released = true;
      server.close();
    },
  };
}
