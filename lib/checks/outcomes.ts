/** Check outcomes: the plain pass/fail builders and the checks every lesson needs. */
import type { CheckOutcome, RunRecord, Translate } from '../lessons/define.ts';
import { explainEnd } from './explain-end.ts';
import { processName } from './process.ts';

/** A passing outcome with `message`. */
export function pass(message: string): CheckOutcome {
  return { pass: true, message };
}

/** A failing outcome with `message`, and `details` (e.g. the output) when there are any. */
export function fail(message: string, details?: string): CheckOutcome {
  return details ? { pass: false, message, details } : { pass: false, message };
}

/** A failure saying the run has no packet capture to judge, or null when it has one. */
export function noCapture(run: RunRecord, t: Translate): CheckOutcome | null {
  if (run.packets !== undefined) return null;
  return fail(
    t({
      en: 'This run has no packet capture, so its packets cannot be judged. Run it again.',
      zh: '这次运行没有抓包，无法判断它的数据包。请再运行一次。',
    }),
  );
}

/**
 * The standard "finished without an error" check: passes when process `proc` exited with status
 * 0 (or was a server still serving at the run's end), else fails with explainEnd and its stderr.
 */
export function processFinished(run: RunRecord, proc: string, t: Translate): CheckOutcome {
  const name = processName(run, proc);
  const record = run.processes[name];
  if (record?.end === 'exited' && record.exitCode === 0) {
    return pass(
      t({ en: `${name} finished without an error.`, zh: `${name} 正常结束，没有报错。` }),
    );
  }
  if (record?.end === 'stopped') {
    return pass(
      t({
        en: `${name} was still serving when the run ended, without an error.`,
        zh: `运行结束时 ${name} 仍在正常服务，没有报错。`,
      }),
    );
  }
  return fail(explainEnd(run, name, t), record?.stderr.trim() || undefined);
}
