/**
 * The status line the workbench shows for a run (app/_components/run-status.ts): the server's
 * notice is worded once, in the page language, and nothing is appended to it.
 */
import { describe, expect, it } from 'vitest';
import { describeRun } from './run-status.ts';
import { uiText } from '../_i18n/ui-text.ts';
import { applyEvent, startRun, type RunState } from '../../lib/client/run-state.ts';
import type { Lang, ServerMessage } from '../../lib/protocol.ts';

const RUN = 'run-aaaaaaaa';
const busy: ServerMessage = {
  type: 'busy',
  runId: RUN,
  retryAfterSeconds: 5,
  notice: { code: 'busy', params: { slots: 4, waiting: 10, retryAfterSeconds: 5 } },
};

const after = (...events: ServerMessage[]): RunState =>
  events.reduce((state, event) => applyEvent(state, event, 0), startRun(RUN));
const status = (run: RunState, lang: Lang) => describeRun(run, uiText(lang));

describe('describeRun', () => {
  it('says a full queue in the server’s one sentence, with one "try again"', () => {
    const text = status(after(busy), 'en');
    expect(text).toBe(
      'The sandbox is busy: every run slot (4) is taken and 10 runs are waiting. Try again in about 5 s.',
    );
    expect(text.match(/try again/gi)).toHaveLength(1);
  });

  it('says it to a Chinese learner in Chinese only, once', () => {
    const text = status(after(busy), 'zh');
    expect(text).toBe(
      '沙箱正忙：全部 4 个运行位都已占用，还有 10 个运行在排队。请在大约 5 秒后重试。',
    );
    expect(text.match(/重试/g)).toHaveLength(1);
    expect(text).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('words a refusal before the run started in the page language', () => {
    const refused = after({
      type: 'error',
      runId: RUN,
      code: 'rate-limited',
      notice: { code: 'rate-limited', params: { max: 2 } },
    });
    expect(status(refused, 'en')).toBe(
      'Too many runs from your address at once (at most 2). Wait for one to end.',
    );
    expect(status(refused, 'zh')).toBe(
      '来自你的地址的同时运行太多（最多 2 个）。请等其中一个结束。',
    );
  });
});
