/**
 * The uids of one sandbox server's slots (HANDSHAKE_UID_BASE): learner code of slot i runs as
 * base + i, its peers as base + PEER_UID_OFFSET + i. Kept apart from jail/ so the config (and
 * the unprivileged front that reads it) need none of the privileged code.
 */

/** Most slots on one host; uids are base + index. */
export const MAX_SLOTS = 128;
/** The default uid base (isolate's convention: a uid per box, from a high range). */
export const DEFAULT_UID_BASE = 61000;
/** Peer uids sit this far above learner uids, so learner code can never signal a peer. */
export const PEER_UID_OFFSET = 1000;
/** Uids one server may use from its base: learners, then peers. Bases of servers on one kernel are this far apart. */
export const UIDS_PER_HOST = 2 * PEER_UID_OFFSET;

/** True when `uid` is a learner or peer uid of a server whose uids start at `uidBase`. */
export function isSlotUid(uid: number, uidBase: number = DEFAULT_UID_BASE): boolean {
  const offset = uid - uidBase;
  return (
    (offset >= 0 && offset < MAX_SLOTS) ||
    (offset >= PEER_UID_OFFSET && offset < PEER_UID_OFFSET + MAX_SLOTS)
  );
}
