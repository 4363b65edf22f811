/**
 * Which process of a run owns each local port, for the `srcOwner`/`dstOwner` labels of packets:
 * the kernel's socket tables of the run's namespace (/proc/<pid>/net/{tcp,udp}[6], port → socket
 * inode) joined with the sockets each process's tree holds (its fds, inode → process). Both are
 * kernel-written, so the labels trust nothing of the sandbox. Learned once per port and kept for
 * the run, so a client that has exited by the time its FIN is seen keeps its name.
 *
 * A client may connect and exit within the few milliseconds before its packets reach the
 * server: then its sockets are gone from /proc. Such a port is attributed by elimination, only
 * when exactly one process other than the peer end's owner was alive when the packet was sent.
 */
import { readFileSync } from 'node:fs';
import { socketInodes } from '../jail/proc-fds.ts';
import { parseSocketTable, type SocketEntry } from '../jail/proc-net.ts';

/** A process as the lookup sees it. */
export interface OwnerCandidate {
  name: string;
  /** Every pid of its tree (empty once it is gone). */
  pids(): number[];
  /** When it ran, in ms since the run started; `until` is absent while it runs. */
  lifetime(): { from: number; until?: number } | null;
}

/** Lookups packets trigger per run at most: a run opening thousands of ports must not cost thousands. */
export const MAX_OWNER_LOOKUPS = 200;

const TABLES: Array<[string, 'tcp' | 'udp']> = [
  ['tcp', 'tcp'],
  ['tcp6', 'tcp'],
  ['udp', 'udp'],
  ['udp6', 'udp'],
];

/** Port → process name of one run. */
export class PortOwners {
  private readonly owners = new Map<string, string>();
  private readonly tried = new Set<string>();
  private readonly candidates: () => OwnerCandidate[];
  private readonly anchor: () => number | undefined;
  private lookups = 0;

  /** `anchor` gives any live pid inside the run's network namespace. */
  constructor(candidates: () => OwnerCandidate[], anchor: () => number | undefined) {
    this.candidates = candidates;
    this.anchor = anchor;
  }

  /**
   * Owners of a packet's two ports at time `t` (ms since the run started): from the kernel's
   * tables, else the only process that can have sent it (see above).
   */
  ends(
    proto: string,
    sport: number | undefined,
    dport: number | undefined,
    t: number,
  ): [string | undefined, string | undefined] {
    const src = this.owner(proto, sport);
    const dst = this.owner(proto, dport);
    if (src === undefined && dst !== undefined) return [this.guess(proto, sport, dst, t), dst];
    if (dst === undefined && src !== undefined) return [src, this.guess(proto, dport, src, t)];
    return [src, dst];
  }

  /** The name of the process owning `port`, looked up the first time the port is seen. */
  owner(proto: string, port: number | undefined): string | undefined {
    if (port === undefined || (proto !== 'tcp' && proto !== 'udp')) return undefined;
    const key = `${proto}:${port}`;
    const known = this.owners.get(key);
    if (known !== undefined || this.tried.has(key)) return known;
    this.tried.add(key);
    if (this.lookups >= MAX_OWNER_LOOKUPS) return undefined;
    this.lookups += 1;
    this.learn();
    return this.owners.get(key);
  }

  /** The only process but `other` alive at `t`, remembered as the owner of `port`. */
  private guess(
    proto: string,
    port: number | undefined,
    other: string,
    t: number,
  ): string | undefined {
    if (port === undefined) return undefined;
    const alive = this.candidates().filter((candidate) => {
      const life = candidate.lifetime();
      return (
        candidate.name !== other &&
        life !== null &&
        life.from <= t &&
        (life.until === undefined || life.until >= t)
      );
    });
    if (alive.length !== 1) return undefined;
    this.owners.set(`${proto}:${port}`, alive[0]!.name);
    return alive[0]!.name;
  }

  /** Reads the tables and every process's sockets once, remembering each port's owner. */
  learn(): void {
    const pid = this.anchor();
    if (pid === undefined) return;
    const byInode = new Map<number, SocketEntry>();
    for (const entry of socketTables(pid)) if (entry.inode !== 0) byInode.set(entry.inode, entry);
    if (byInode.size === 0) return;
    for (const candidate of this.candidates()) {
      for (const inode of socketInodes(candidate.pids())) {
        const entry = byInode.get(inode);
        if (entry) this.owners.set(`${entry.protocol}:${entry.localPort}`, candidate.name);
      }
    }
  }
}

function socketTables(pid: number): SocketEntry[] {
  return TABLES.flatMap(([file, protocol]) => {
    try {
      return parseSocketTable(readFileSync(`/proc/${pid}/net/${file}`, 'utf8'), protocol);
    } catch {
      return []; // the anchor exited meanwhile
    }
  });
}
