/**
 * The human sentence that says why a run ended, in the learner's language. Limits are named
 * with their values ("time limit of 10 s reached") so the learner knows what to change.
 */
import type { Lang, RunEndReason } from '../../lib/protocol.ts';
import type { RunLimitsConfig } from '../limits.ts';

/** A byte count as people say it: 1 MiB, 256 MiB, 512 KiB, 100 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/** Seconds without a needless ".0". */
function formatSeconds(seconds: number): string {
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

type Messages = Record<RunEndReason, (limits: RunLimitsConfig) => string>;

const EN: Messages = {
  completed: () => 'finished',
  stopped: () => 'stopped',
  'time-limit': (l) => `time limit of ${formatSeconds(l.wallSeconds)} reached: the run was stopped`,
  'output-limit': (l) =>
    `output limit of ${formatBytes(l.outputBytes)} reached: the program was stopped`,
  'memory-limit': (l) =>
    `memory limit of ${formatBytes(l.memoryBytes)} reached: the program was stopped`,
  'cpu-limit': (l) =>
    `CPU time limit of ${formatSeconds(l.cpuSeconds)} reached: the program was stopped`,
  'process-limit': (l) =>
    `too many processes: the limit of ${l.pids} was reached and the program was stopped`,
  error: () => 'the sandbox failed while running this program (a server problem, not your code)',
};

const ZH: Messages = {
  completed: () => '运行结束',
  stopped: () => '已停止',
  'time-limit': (l) => `已达到 ${formatSeconds(l.wallSeconds)} 的时间限制：运行已停止`,
  'output-limit': (l) => `已达到 ${formatBytes(l.outputBytes)} 的输出限制：程序已停止`,
  'memory-limit': (l) => `已达到 ${formatBytes(l.memoryBytes)} 的内存限制：程序已停止`,
  'cpu-limit': (l) => `已达到 ${formatSeconds(l.cpuSeconds)} 的 CPU 时间限制：程序已停止`,
  'process-limit': (l) => `进程过多：已达到 ${l.pids} 个的上限，程序已停止`,
  error: () => '沙箱在运行此程序时出错（这是服务器的问题，不是你的代码的问题）',
};

/** Why the run ended, as one sentence in `lang`. */
export function endMessage(reason: RunEndReason, limits: RunLimitsConfig, lang: Lang): string {
  return (lang === 'zh' ? ZH : EN)[reason](limits);
}
