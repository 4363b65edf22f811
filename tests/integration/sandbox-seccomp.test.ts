/** The seccomp filter is built reproducibly from the checked-in policy, and the policy matters. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECCOMP_POLICY, buildFilter } from '../../sandbox-server/jail/seccomp/filter.ts';

describe('seccomp filter', () => {
  it('compiles the policy to the same BPF program every time', async () => {
    const [first, second] = await Promise.all([buildFilter(), buildFilter()]);
    expect(first.length % 8).toBe(0);
    expect(first.length).toBeGreaterThan(100);
    expect(first.equals(second)).toBe(true);
  });

  it('changes when the policy changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handshake-seccomp-'));
    try {
      const policy = JSON.parse(readFileSync(SECCOMP_POLICY, 'utf8')) as {
        errno: { EPERM: string[] };
      };
      policy.errno.EPERM = policy.errno.EPERM.filter((call) => call !== 'ptrace');
      const edited = path.join(dir, 'policy.json');
      writeFileSync(edited, JSON.stringify(policy));
      expect((await buildFilter(edited)).equals(await buildFilter())).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
