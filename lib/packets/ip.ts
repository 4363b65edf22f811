/** What the transport decoders need from an IPv4 or IPv6 header. */
export interface IpPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  /** The transport protocol number (IPv6: after the extension headers). */
  protocol: number;
  /** Where the transport header starts in the frame. */
  payloadOffset: number;
  /** Transport bytes the IP header announces (more than were captured, past the snaplen). */
  payloadLength: number;
  /** A fragment other than the first: it holds no transport header. */
  laterFragment: boolean;
  /** A problem found after the addresses were read. */
  bad?: string;
  /** The problem leaves no transport header to read (a broken length, a bad extension chain). */
  broken?: true;
}

/** An IP header that could not be read far enough to give addresses. */
export interface BadIp {
  bad: string;
}

/** IP protocol numbers the decoder knows. */
export const IP_PROTOCOL = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;
