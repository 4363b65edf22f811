/**
 * The WebSocket front's proof that it holds no privilege: every uid and gid non-zero, no root
 * supplementary group, no capability. It reads /proc/self/status, what the kernel enforces, not
 * what Node believes; a front that fails it refuses to serve.
 */
import { readFileSync } from 'node:fs';

/** Why `status` (a /proc/<pid>/status text) shows a privileged process; empty when it does not. */
export function privilegesHeld(status: string): string[] {
  const field = (name: string): string[] =>
    (new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '').trim().split(/\s+/);
  const problems: string[] = [];
  const uids = field('Uid');
  const gids = field('Gid');
  if (uids.length !== 4 || uids.includes('0')) problems.push(`uids ${uids.join(' ')}`);
  if (gids.length !== 4 || gids.includes('0')) problems.push(`gids ${gids.join(' ')}`);
  if (field('Groups').includes('0')) problems.push('member of group 0');
  for (const caps of ['CapEff', 'CapPrm', 'CapAmb']) {
    const value = field(caps)[0] ?? '';
    if (!/^0+$/.test(value)) problems.push(`${caps} ${value || 'unknown'}`);
  }
  return problems;
}

/** Throws unless this process runs without any privilege. */
export function assertUnprivileged(): void {
  const problems = privilegesHeld(readFileSync('/proc/self/status', 'utf8'));
  if (problems.length > 0)
    throw new Error(`this process must run unprivileged, but holds: ${problems.join(', ')}`);
}
