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
export type UdpEchoOptions = PeerOptions<'udp-echo'>;
export type UdpClientOptions = PeerOptions<'udp-client'>;
export type TcpFramerOptions = PeerOptions<'tcp-framer'>;
export type HttpServerOptions = PeerOptions<'http-server'>;
export type HttpClientOptions = PeerOptions<'http-client'>;
export type TcpCrowdOptions = PeerOptions<'tcp-crowd'>;
export type FileSenderOptions = PeerOptions<'file-sender'>;
export type FileReceiverOptions = PeerOptions<'file-receiver'>;
export type ChatBotsOptions = PeerOptions<'chat-bots'>;
export type TlsServerOptions = PeerOptions<'tls-server'>;
export type TlsClientOptions = PeerOptions<'tls-client'>;

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
 * Server peers, which draw faults or text (peers/payload.ts) from the run's seed: they start
 * (and listen) at once, and take the seed and language from the go line when it comes, so a
 * warm sandbox leaves their stdin open until their run. The client peers start with their run
 * and wait for the go line before they begin.
 */
export const SEEDED_PEERS: ReadonlySet<BuiltinPeer> = new Set([
  'tcp-echo',
  'udp-echo',
  'tcp-greeter',
  'tcp-framer',
  'http-server',
  'udp-relay',
  'tcp-proxy',
  'file-sender',
  'file-receiver',
  'tls-server',
]);

/** The fd on which a peer writes its NDJSON reports. */
export const REPORT_FD = 3;

/** Exit status of a peer that crashed (an uncaught error), told apart from a client's "failed". */
export const PEER_CRASH_STATUS = 70;
