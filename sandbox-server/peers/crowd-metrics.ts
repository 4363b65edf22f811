/**
 * What a crowd of connections shows about a server, computed from the crowd's own reports in the
 * order they happened: how many connections it answered, how many of those while a stalled
 * (silent) client was still holding a connection open, and how many waited for a reply at once.
 * A server that serves one client at a time answers nobody while the stalled client blocks it.
 */

/** One report of the tcp-crowd peer, as it wrote it (`event`, `connection`, `t` and its fields). */
export interface CrowdEvent {
  event: string;
  connection: number;
  /** Milliseconds since the peer began. */
  t: number;
  /** On `connected`: whether this is one of the stalled connections. */
  stalled?: boolean;
  /** On `closed`: whether the connection ended as expected. */
  clean?: boolean;
}

/** The crowd's verdict on a server. */
export interface CrowdMetrics {
  /** Normal connections whose every line came back exactly and that then closed cleanly. */
  served: number;
  /** Of those, the ones whose last echo came while a stalled connection was open and unanswered. */
  servedWhileStalled: number;
  /** Most normal connections that had sent a line and were waiting for its echo at one moment. */
  maxInFlight: number;
}

/** Events that end a normal connection's wait for an echo (`received` alone does not). */
const ENDS_WAIT = new Set(['reply-matched', 'reply-mismatch', 'timeout', 'closed']);

/**
 * The crowd's metrics from its `events`, in the order they happened, for connections that each
 * send `lines` lines (one of them then also a bulk line: a clean close after at least `lines`
 * echoes is a served connection, the bulk one failing closes unclean). A stalled connection stalls from its `sent` until its `closed` (the
 * server's or the crowd's own at the end): its line is never finished, so no reply answers it.
 */
export function crowdMetrics(events: readonly CrowdEvent[], lines: number): CrowdMetrics {
  const stalled = new Set<number>();
  const stalling = new Set<number>();
  const waiting = new Set<number>();
  const matched = new Map<number, number>();
  const answeredWhileStalled = new Set<number>();
  const served = new Set<number>();
  let maxInFlight = 0;
  for (const event of events) {
    const { connection } = event;
    if (event.event === 'connected' && event.stalled) stalled.add(connection);
    if (stalled.has(connection)) {
      if (event.event === 'sent') stalling.add(connection);
      else if (event.event === 'closed') stalling.delete(connection);
      continue;
    }
    if (event.event === 'sent') {
      waiting.add(connection);
      maxInFlight = Math.max(maxInFlight, waiting.size);
    } else if (ENDS_WAIT.has(event.event)) waiting.delete(connection);
    if (event.event === 'reply-matched') {
      const count = (matched.get(connection) ?? 0) + 1;
      matched.set(connection, count);
      if (count >= lines && stalling.size > 0) answeredWhileStalled.add(connection);
    }
    if (event.event === 'closed' && event.clean && (matched.get(connection) ?? 0) >= lines)
      served.add(connection);
  }
  const servedWhileStalled = [...served].filter((c) => answeredWhileStalled.has(c)).length;
  return { served: served.size, servedWhileStalled, maxInFlight };
}
