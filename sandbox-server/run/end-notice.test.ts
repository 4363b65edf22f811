import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../lib/notices/catalog.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { endNotice } from './end-notice.ts';

const said = (reason: Parameters<typeof endNotice>[0], lang: 'en' | 'zh' = 'en') =>
  renderNotice(endNotice(reason, DEFAULT_LIMITS), lang);

describe('endNotice', () => {
  it('names the limit and its value', () => {
    expect(said('time-limit')).toMatch(/^Time limit of 10 s reached/);
    expect(said('output-limit')).toMatch(/^Output limit of 1 MiB reached/);
    expect(said('memory-limit')).toMatch(/Memory limit of 256 MiB/);
    expect(said('cpu-limit')).toMatch(/CPU time limit of 5 s/);
    expect(said('process-limit')).toMatch(/Too many processes.*64/);
  });

  it('speaks Chinese to a Chinese learner', () => {
    const limits = { ...DEFAULT_LIMITS, wallSeconds: 2.5 };
    expect(renderNotice(endNotice('time-limit', limits), 'zh')).toContain('2.5 秒');
    expect(said('time-limit', 'zh')).toMatch(/时间限制/);
  });

  it('calls a run that failed on the server a server problem', () => {
    expect(endNotice('error', DEFAULT_LIMITS)).toEqual({ code: 'sandbox-failed', params: {} });
  });
});
