/**
 * The one JSON argument a peer is started with. Shared by the host (which validates and writes
 * it) and the peer program (which trusts it): types only, so the peer bundle stays tiny.
 */
import type { BuiltinPeer, PeerOptions } from '../../lib/lessons/peers.ts';
import type { Lang } from '../../lib/protocol.ts';

/** What a peer is told at start. */
export interface PeerConfig {
  peer: BuiltinPeer;
  /** Name shown in its terminal and reports (`echo`, `client`, or the lesson's name). */
  name: string;
  port: number;
  options: Record<string, unknown>;
}

/** Each peer's validated options (declared in lib/lessons/peers.ts, which describes them). */
export type TcpClientOptions = PeerOptions<'tcp-client'>;
export type TcpEchoOptions = PeerOptions<'tcp-echo'>;
export type TcpGreeterOptions = PeerOptions<'tcp-greeter'>;
export type UdpRelayOptions = PeerOptions<'udp-relay'>;
export type TcpProxyOptions = PeerOptions<'tcp-proxy'>;

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
export const SEEDED_PEERS: ReadonlySet<BuiltinPeer> = new Set([
  'udp-relay',
  'tcp-proxy',
  // The greeter's `downForMs` begins with its run, which only the go line tells.
  'tcp-greeter',
]);

/** The fd on which a peer writes its NDJSON reports. */
export const REPORT_FD = 3;

/** Exit status of a peer that crashed (an uncaught error), told apart from a client's "failed". */
export const PEER_CRASH_STATUS = 70;
