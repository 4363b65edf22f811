/**
 * Endpoints of a capture (an address and, for TCP and UDP, a port) and how the views name them:
 * by the process that owns the port when the run knows it, otherwise as `127.0.0.1:PORT`.
 */
import type { WirePacket } from './wire-packet.ts';

/** One end of a conversation. */
export interface Endpoint {
  /** Unique per address and port. */
  key: string;
  addr: string;
  port?: number;
  /** The process that owns the port (a ProcessName such as `peer:echo`), when known. */
  owner?: string;
}

/** Names a process for display (`peer:echo` reads `peer: echo`); may be replaced by run labels. */
export type OwnerLabeler = (owner: string) => string;

/** The key of an address and port. */
export function endpointKey(addr: string, port?: number): string {
  return port === undefined ? addr : `${addr}|${port}`;
}

/** `127.0.0.1:5000`, `[::1]:5000`, or the address alone. */
export function hostPort(addr: string, port?: number): string {
  const host = addr.includes(':') ? `[${addr}]` : addr || '?';
  return port === undefined ? host : `${host}:${port}`;
}

/** The default display name of a process: `peer:echo` as `peer: echo`, files as they are. */
export function defaultOwnerLabel(owner: string): string {
  return owner.startsWith('peer:') ? `peer: ${owner.slice(5)}` : owner;
}

/** The sending endpoint of a packet. */
export function sourceOf(packet: WirePacket): Endpoint {
  return endpointOf(packet.src, packet.sport, packet.srcOwner);
}

/** The receiving endpoint of a packet. */
export function destinationOf(packet: WirePacket): Endpoint {
  return endpointOf(packet.dst, packet.dport, packet.dstOwner);
}

/** The endpoint at an address and port, owned by `owner` when known. */
export function endpointOf(
  addr: string,
  port: number | undefined,
  owner: string | undefined,
): Endpoint {
  const result: Endpoint = { key: endpointKey(addr, port), addr };
  if (port !== undefined) result.port = port;
  if (owner !== undefined) result.owner = owner;
  return result;
}

/** The two lines a lifeline head shows: the owner (or host:port) and, under it, the detail. */
export function endpointLabel(
  endpoint: Endpoint,
  label: OwnerLabeler = defaultOwnerLabel,
): { label: string; detail: string } {
  const address = hostPort(endpoint.addr, endpoint.port);
  if (endpoint.owner === undefined) return { label: address, detail: '' };
  return { label: label(endpoint.owner), detail: address };
}
