/**
 * Which sockets in a network namespace are serving: TCP sockets in LISTEN, and UDP sockets bound
 * to a fixed (non-ephemeral) port. Read from /proc/<pid>/net/{tcp,tcp6,udp,udp6} of any process
 * in the namespace; the kernel writes those files, so reading them trusts nothing of the sandbox.
 */
import { readFileSync } from 'node:fs';

/** One socket line of /proc/net/{tcp,udp}[6]. */
export interface SocketEntry {
  protocol: 'tcp' | 'udp';
  localPort: number;
  /** Kernel socket state (0x0A = TCP LISTEN, 0x07 = TCP_CLOSE, which an unconnected UDP socket reports). */
  state: number;
  inode: number;
}

const TCP_LISTEN = 0x0a;
const UDP_UNCONNECTED = 0x07;

/** Parses the text of a /proc/net/tcp, tcp6, udp or udp6 file. */
export function parseSocketTable(text: string, protocol: 'tcp' | 'udp'): SocketEntry[] {
  const entries: SocketEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = fields[1]!;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    entries.push({
      protocol,
      localPort: port,
      state: parseInt(fields[3]!, 16),
      inode: Number(fields[9]),
    });
  }
  return entries;
}

/** Ports the kernel hands out for implicit binds; a UDP socket there is a client, not a server. */
export interface PortRange {
  low: number;
  high: number;
}

/** Parses /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999"). */
export function parsePortRange(text: string): PortRange {
  const [low, high] = text.trim().split(/\s+/).map(Number);
  if (!low || !high) return { low: 32768, high: 60999 };
  return { low, high };
}

/** True when the socket is a server: listening on TCP, or bound to a fixed UDP port. */
export function isServingSocket(entry: SocketEntry, ephemeral: PortRange): boolean {
  if (entry.protocol === 'tcp') return entry.state === TCP_LISTEN;
  if (entry.state !== UDP_UNCONNECTED || entry.localPort === 0) return false;
  return entry.localPort < ephemeral.low || entry.localPort > ephemeral.high;
}

let ephemeralRange: PortRange | undefined;

function hostEphemeralRange(): PortRange {
  ephemeralRange ??= parsePortRange(
    readOr('/proc/sys/net/ipv4/ip_local_port_range', '32768 60999'),
  );
  return ephemeralRange;
}

/** Inodes of the serving sockets in the network namespace of `pid` (empty if it is gone). */
export function servingInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  const range = hostEphemeralRange();
  for (const [file, protocol] of TABLES) {
    for (const entry of parseSocketTable(readOr(`/proc/${pid}/net/${file}`, ''), protocol)) {
      if (isServingSocket(entry, range)) inodes.add(entry.inode);
    }
  }
  return inodes;
}

/** A socket as a learner reads it: addresses like `127.0.0.1:8080` and the state's name. */
export interface SocketDescription {
  proto: 'tcp' | 'udp';
  local: string;
  /** Absent when unconnected (a listening or unconnected UDP socket). */
  remote?: string;
  state: string;
}

/** Kernel TCP states by number (include/net/tcp_states.h), as ss and netstat name them. */
const TCP_STATE_NAMES = [
  '',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];

/** The state's name; a UDP socket is connected (ESTABLISHED) or not (UNCONN, as ss says). */
export function socketStateName(protocol: 'tcp' | 'udp', state: number): string {
  if (protocol === 'udp') return state === 0x01 ? 'ESTABLISHED' : 'UNCONN';
  return TCP_STATE_NAMES[state] || `0x${state.toString(16).padStart(2, '0')}`;
}

/**
 * Formats an address of a /proc/net table ("0100007F:1F90" → "127.0.0.1:8080"). The address is
 * in network order printed as 32-bit words in host order: little-endian on x86_64 and aarch64.
 */
export function formatTableAddress(hex: string): string | null {
  const colon = hex.indexOf(':');
  const port = parseInt(hex.slice(colon + 1), 16);
  const words = hex.slice(0, colon).match(/[0-9A-Fa-f]{8}/g) ?? [];
  if (colon < 0 || !Number.isInteger(port) || (words.length !== 1 && words.length !== 4))
    return null;
  const bytes = words.flatMap((word) =>
    [6, 4, 2, 0].map((at) => parseInt(word.slice(at, at + 2), 16)),
  );
  if (bytes.length === 4) return `${bytes.join('.')}:${port}`;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address a learner typed.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `${bytes.slice(12).join('.')}:${port}`;
  const groups = [];
  for (let at = 0; at < 16; at += 2) groups.push(((bytes[at]! << 8) | bytes[at + 1]!).toString(16));
  return `[${compressIpv6(groups)}]:${port}`;
}

/** Shortens the longest run of zero groups to "::" (RFC 5952). */
function compressIpv6(groups: string[]): string {
  let best = { at: -1, length: 1 };
  for (let at = 0; at < groups.length; at += 1) {
    let length = 0;
    while (groups[at + length] === '0') length += 1;
    if (length > best.length) best = { at, length };
  }
  if (best.at < 0) return groups.join(':');
  const head = groups.slice(0, best.at).join(':');
  const tail = groups.slice(best.at + best.length).join(':');
  return `${head}::${tail}`;
}

/** Describes the sockets of one /proc/net/{tcp,udp}[6] table whose inode is in `wanted`. */
export function describeSockets(
  text: string,
  protocol: 'tcp' | 'udp',
  wanted: ReadonlySet<number>,
): Map<number, SocketDescription> {
  const found = new Map<number, SocketDescription>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !wanted.has(Number(fields[9]))) continue;
    const local = formatTableAddress(fields[1]!);
    if (local === null) continue;
    const remote = formatTableAddress(fields[2]!);
    const state = socketStateName(protocol, parseInt(fields[3]!, 16));
    const connected = remote !== null && !remote.endsWith(':0');
    found.set(Number(fields[9]), {
      proto: protocol,
      local,
      ...(connected ? { remote } : {}),
      state,
    });
  }
  return found;
}

/** The sockets among `inodes` in the network namespace of `pid`, described (see describeSockets). */
export function socketDescriptions(
  pid: number,
  inodes: ReadonlySet<number>,
): Map<number, SocketDescription> {
  const found = new Map<number, SocketDescription>();
  if (inodes.size === 0) return found;
  for (const [file, protocol] of TABLES) {
    const text = readOr(`/proc/${pid}/net/${file}`, '');
    for (const [inode, socket] of describeSockets(text, protocol, inodes)) found.set(inode, socket);
  }
  return found;
}

const TABLES: Array<[string, 'tcp' | 'udp']> = [
  ['tcp', 'tcp'],
  ['tcp6', 'tcp'],
  ['udp', 'udp'],
  ['udp6', 'udp'],
];

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}
