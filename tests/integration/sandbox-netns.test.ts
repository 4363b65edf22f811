/**
 * Run namespaces: loopback up and nothing else, and (on Linux ≥ 6.1) their own small TCP hash
 * table, so reading who listens in them costs a fraction of a millisecond, not a walk of the
 * host's table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PARENT_NETNS,
  CHILD_HASH_BUCKETS,
  createNetns,
  deleteNetns,
  listNetns,
  netnsPath,
} from '../../sandbox-server/jail/netns.ts';

const inside = (name: string, command: string[]): string =>
  execFileSync('/usr/bin/nsenter', [`--net=${netnsPath(name)}`, '--', ...command], {
    encoding: 'utf8',
  });

describe('run namespaces', () => {
  it('have loopback up, no other interface, and their own small TCP hash table', async () => {
    const name = `hs-${process.pid}-9001`;
    await createNetns(name);
    try {
      const links = inside(name, ['/usr/sbin/ip', '-o', 'link']);
      expect(links.trim().split('\n')).toHaveLength(1);
      expect(links).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP>/);
      if (existsSync('/proc/sys/net/ipv4/tcp_child_ehash_entries')) {
        const buckets = inside(name, ['/bin/cat', '/proc/sys/net/ipv4/tcp_ehash_entries']);
        expect(Number(buckets)).toBe(CHILD_HASH_BUCKETS);
        // The host's own table is untouched.
        const host = Number(readFileSync('/proc/sys/net/ipv4/tcp_child_ehash_entries', 'utf8'));
        expect(host).not.toBe(CHILD_HASH_BUCKETS);
      }
    } finally {
      await deleteNetns(name);
    }
    expect(listNetns()).not.toContain(name);
  });

  it('are made and deleted many at once, a missing one deletes fine, a bad name is refused', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `hs-${process.pid}-${9100 + i}`);
    await Promise.all(names.map((name) => createNetns(name)));
    expect(listNetns()).toEqual(expect.arrayContaining(names));
    await Promise.all(names.map((name) => deleteNetns(name)));
    expect(listNetns().filter((name) => names.includes(name))).toEqual([]);
    await expect(deleteNetns(names[0]!)).resolves.toBeUndefined();
    await expect(createNetns('bad name; reboot')).rejects.toThrow(/not a namespace name/);
    // A name in use is refused, and the namespace behind it is left alone.
    await expect(createNetns(PARENT_NETNS)).rejects.toThrow(/ip netns add handshake-parent failed/);
    expect(listNetns()).toContain(PARENT_NETNS);
  });

  it('survive their shell being killed: the next request starts a new one', async () => {
    const name = `hs-${process.pid}-9200`;
    await createNetns(name);
    const shells = execFileSync('/usr/bin/pgrep', ['-P', String(process.pid), 'bash'], {
      encoding: 'utf8',
    });
    for (const pid of shells.trim().split('\n')) process.kill(Number(pid), 'SIGKILL');
    await deleteNetns(name).catch(() => deleteNetns(name));
    expect(listNetns()).not.toContain(name);
  });
});
