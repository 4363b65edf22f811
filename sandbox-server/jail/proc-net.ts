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
