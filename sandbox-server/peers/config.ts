/**
 * The one JSON argument a peer is started with. Shared by the host (which validates and writes
 * it) and the peer program (which trusts it): types only, so the peer bundle stays tiny.
 */
import type { BuiltinPeer } from '../../lib/lessons/schema.ts';

/** What a peer is told at start. */
export interface PeerConfig {
  peer: BuiltinPeer;
  /** Name shown in its terminal and reports (`echo`, `client`, or the lesson's name). */
  name: string;
  port: number;
  options: Record<string, unknown>;
}

/** Options of tcp-client (validated on the host, see catalog.ts). */
export interface TcpClientOptions {
  lines: string[];
  connectTimeoutMs: number;
  replyTimeoutMs: number;
}

/** Options of tcp-greeter. */
export interface TcpGreeterOptions {
  greeting: string;
}

/** The fd on which a peer writes its NDJSON reports. */
export const REPORT_FD = 3;

/** Exit status of a peer that crashed (an uncaught error), told apart from a client's "failed". */
export const PEER_CRASH_STATUS = 70;
