/**
 * The plain, JSON-ready description of one captured packet that the parser produces and the
 * protocol's `packet` event carries. Field names are short because a run may send thousands.
 */

/** TCP flags by name, in the order they are listed (SYN ACK, FIN ACK, PSH ACK, RST ACK). */
export const TCP_FLAGS = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'] as const;
export type TcpFlag = (typeof TCP_FLAGS)[number];

/** TCP socket states that packets reveal (LISTEN never shows on the wire). */
export const TCP_STATES = [
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSED',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

/** What part of a TCP connection's life a packet belongs to. */
export const TCP_PHASES = ['handshake', 'data', 'teardown', 'reset'] as const;
export type TcpPhase = (typeof TCP_PHASES)[number];

/** Transport protocols the parser names; anything else is `other`. */
export const TRANSPORTS = ['tcp', 'udp', 'icmp', 'other'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** One packet, decoded. Optional fields are absent when they do not apply. */
export interface Packet {
  /** Frame number in the capture, from 1 (as Wireshark counts). */
  n: number;
  /** Milliseconds since the time origin (the first packet unless given), µs precision. */
  t: number;
  proto: Transport;
  /** Source and destination IP addresses; empty when the frame held no IP header. */
  src: string;
  dst: string;
  /** Ports, for TCP and UDP. */
  sport?: number;
  dport?: number;
  /** Payload bytes the headers announce (TCP/UDP payload, ICMP message, or the whole frame). */
  len: number;
  /** The first ≤ 64 payload bytes as safe text: printable characters shown, the rest escaped. */
  preview?: string;
  /** The TLS records a TCP payload starts with (`ClientHello (SNI localhost)`), when it does. */
  tls?: string;
  /** Connection (TCP) or flow (UDP) number in the capture, from 1; on ICMP errors, the flow hit. */
  conn?: number;
  /** TCP flags set. */
  flags?: TcpFlag[];
  /** Sequence number relative to the sender's initial one (SYN = 0), as Wireshark shows it. */
  seq?: number;
  /** Acknowledgement number relative to the receiver's initial sequence number; only with ACK. */
  ack?: number;
  /** Receive window in bytes (scaled once the handshake announced a window scale). */
  win?: number;
  /** Bytes of TCP options. */
  optLen?: number;
  /** Maximum segment size and window scale, announced on SYNs. */
  mss?: number;
  wscale?: number;
  phase?: TcpPhase;
  /** The segment carries sequence space the sender had already sent. */
  retrans?: true;
  /** The sender's and the receiver's TCP state after this packet, when it changed. */
  srcState?: TcpState;
  dstState?: TcpState;
  /** ICMP message, in words (e.g. `port unreachable`). */
  icmp?: string;
  /** Why the packet could not be fully decoded; the fields before the problem are still given. */
  bad?: string;
}
