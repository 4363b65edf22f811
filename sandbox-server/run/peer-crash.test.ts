import { describe, expect, it } from 'vitest';
import { PEER_CRASH_STATUS } from '../peers/config.ts';
import { renderNotice } from '../../lib/notices/catalog.ts';
import { peerCrashed, peerCrashNotice } from './peer-crash.ts';
import type { PlannedProcess } from '../plan/plan.ts';

const peer = (type: 'tcp-echo' | 'tcp-client'): PlannedProcess => ({
  name: `peer:${type}`,
  kind: 'peer',
  label: `peer: ${type}`,
  peer: { peer: type, name: type, port: 8080, options: {} },
});
const learner: PlannedProcess = { name: 'a.py', kind: 'learner', label: 'a.py', file: 'a.py' };
const exit = (exitCode: number | null, signal: string | null = null) => ({
  exitCode,
  signal,
  durationMs: 10,
});

describe('peerCrashed', () => {
  it('counts any end of a server peer the run did not cause', () => {
    expect(peerCrashed(peer('tcp-echo'), exit(0))).toBe(true);
    expect(peerCrashed(peer('tcp-echo'), exit(1))).toBe(true);
    expect(peerCrashed(peer('tcp-echo'), exit(null, 'SIGKILL'))).toBe(true);
  });

  it('lets a client peer finish, with success or with the failure it reports', () => {
    expect(peerCrashed(peer('tcp-client'), exit(0))).toBe(false);
    expect(peerCrashed(peer('tcp-client'), exit(1))).toBe(false);
    expect(peerCrashed(peer('tcp-client'), exit(PEER_CRASH_STATUS))).toBe(true);
    expect(peerCrashed(peer('tcp-client'), exit(null, 'SIGSEGV'))).toBe(true);
  });

  it('never blames a learner process', () => {
    expect(peerCrashed(learner, exit(null, 'SIGKILL'))).toBe(false);
  });
});

describe('peerCrashNotice', () => {
  it('names the peer and how it ended, in the learner language', () => {
    expect(renderNotice(peerCrashNotice('peer: echo', exit(null, 'SIGKILL')), 'en')).toBe(
      'peer: echo stopped unexpectedly (killed by SIGKILL), so the run was ended; its terminal shows why.',
    );
    expect(renderNotice(peerCrashNotice('peer: echo', exit(1)), 'zh')).toContain('退出码 1');
  });
});
