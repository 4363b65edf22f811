/**
 * The one JSON argument a peer is started with. Shared by the host (which validates and writes
 * it) and the peer program (which trusts it): types only, so the peer bundle stays tiny.
 */
import type { BuiltinPeer } from '../../lib/lessons/schema.ts';
import type { Lang } from '../../lib/protocol.ts';

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

/** Options of tcp-echo. */
export interface TcpEchoOptions {
  /**
   * Echo the whole request at once after the client's FIN (a request that ends with a
   * half-close), instead of every byte as it arrives.
   */
  waitForEnd: boolean;
}

/** Options of tcp-greeter. */
export interface TcpGreeterOptions {
  greeting: string;
}

/** Options of udp-relay (validated on the host, see catalog.ts; defaults mean no fault). */
export interface UdpRelayOptions {
  /** Port of the server the datagrams are relayed to. */
  target: number;
  loss: number;
  duplicate: number;
  reorder: number;
  delayMs: number;
  jitterMs: number;
  /** 0: unlimited. */
  bandwidthBytesPerSecond: number;
  direction: 'both' | 'to-target' | 'from-target';
  /** A seed the lesson fixes; the run's own seed is used without it. */
  seed?: number;
}

/** Options of tcp-proxy. */
export interface TcpProxyOptions {
  target: number;
  delayMs: number;
  jitterMs: number;
  bandwidthBytesPerSecond: number;
  /** 0: forward what is read as it is read; N: at most N bytes per segment. */
  chunkBytes: number;
  chunkGapMs: number;
  /** 0: never; N: reset both connections once N bytes went one way. */
  resetAfterBytes: number;
  resetRate: number;
  direction: 'both' | 'to-target' | 'from-target';
  seed?: number;
}

/**
 * What a peer reads on stdin when its run reaches it in the start order (a JSON line, then
 * EOF): the seed its faults draw from and the language its fault lines are written in. A warm
 * sandbox starts the peer before its run exists, so neither can be in its command line.
 */
export interface PeerGo {
  seed: number;
  lang: Lang;
}

/**
 * Peers that draw faults from a seed: they start (and listen) at once, and take the seed from
 * the go line when it comes, so a warm sandbox leaves their stdin open until their run.
 */
export const SEEDED_PEERS: ReadonlySet<BuiltinPeer> = new Set(['udp-relay', 'tcp-proxy']);

/** The fd on which a peer writes its NDJSON reports. */
export const REPORT_FD = 3;

/** Exit status of a peer that crashed (an uncaught error), told apart from a client's "failed". */
export const PEER_CRASH_STATUS = 70;
