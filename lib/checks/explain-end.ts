/** How a process ended, said in one sentence (two for the common socket errors). */
import type { ProcessRecord, RunRecord, Translate } from '../lessons/define.ts';
import { exceptionText } from './exceptions.ts';
import { lastException } from './output.ts';
import { processName } from './process.ts';
import { timeLimitText } from './time-limit.ts';
import type { LocalizedText } from './text.ts';

/**
 * One sentence in the learner's language on how process `proc` ended: its exception (with the
 * likely cause for common socket errors, e.g. the port nothing listened on), its exit status, a
 * signal, or, when the run's time limit stopped it, what it was waiting for.
 */
export function explainEnd(run: RunRecord, proc: string, t: Translate): string {
  const name = processName(run, proc);
  const record = run.processes[name];
  if (!record) return t({ en: `${name} did not run.`, zh: `${name} 没有运行。` });
  return t(endText(run, name, record));
}

/**
 * `text`, followed by how process `proc` ended when it died: nothing is added when it exited 0
 * or was still running at the end (a server the run stopped).
 */
export function withEnd(run: RunRecord, t: Translate, proc: string, text: string): string {
  const record = run.processes[processName(run, proc)];
  if (!record || record.end === 'stopped' || record.exitCode === 0) return text;
  return text + t({ en: ' ', zh: '' }) + explainEnd(run, proc, t);
}

function endText(run: RunRecord, name: string, proc: ProcessRecord): LocalizedText {
  if (proc.end === 'stopped') {
    return {
      en: `${name} was still running when the run ended, so the run stopped it (normal for a server).`,
      zh: `运行结束时 ${name} 仍在运行，所以被停止了（对服务器来说这很正常）。`,
    };
  }
  if (proc.end === 'killed') return killedText(run, name, proc);
  const exception = lastException(run, name);
  if (exception) return exceptionText(run, name, exception);
  if (proc.exitCode !== null) return exitText(name, proc);
  return signalText(name, proc.signal ?? '?');
}

/** An exit status, with the last line of stderr (e.g. sys.exit("message")) when there is one. */
function exitText(name: string, proc: ProcessRecord): LocalizedText {
  if (proc.exitCode === 0) {
    return {
      en: `${name} finished normally (exit status 0).`,
      zh: `${name} 正常结束（退出状态 0）。`,
    };
  }
  const said = proc.stderr.trim().split('\n').at(-1)?.trim();
  return {
    en: `${name} exited with status ${proc.exitCode}${said ? `: ${said}` : '.'}`,
    zh: `${name} 以退出状态 ${proc.exitCode} 结束${said ? `：${said}` : '。'}`,
  };
}

const SIGNAL_HINTS: Record<string, LocalizedText> = {
  SIGSEGV: { en: ' (a crash inside native code)', zh: '（原生代码里发生了崩溃）' },
  SIGINT: { en: ' (Ctrl-C)', zh: '（Ctrl-C）' },
  SIGKILL: { en: ' (killed outright)', zh: '（被直接杀死）' },
};

function signalText(name: string, signal: string): LocalizedText {
  const hint = SIGNAL_HINTS[signal];
  return {
    en: `${name} was ended by the signal ${signal}${hint?.en ?? ''}.`,
    zh: `${name} 被信号 ${signal} 终止${hint?.zh ?? ''}。`,
  };
}

/** Killed by the run: which limit (or Stop) did it, and for the time limit, what it waited for. */
function killedText(run: RunRecord, name: string, proc: ProcessRecord): LocalizedText {
  switch (run.reason) {
    case 'time-limit':
      return timeLimitText(run, name, proc);
    case 'output-limit':
      return {
        en: `${name} was stopped because the run's output went over its limit: is something printing in an endless loop?`,
        zh: `${name} 被停止了，因为这次运行的输出超过了上限：是不是有代码在无限循环里打印？`,
      };
    case 'memory-limit':
      return {
        en: `${name} was stopped because the programs used more memory than the run allows.`,
        zh: `${name} 被停止了，因为程序使用的内存超过了这次运行允许的上限。`,
      };
    case 'cpu-limit':
      return {
        en: `${name} was stopped because the programs used more CPU time than the run allows: is a loop spinning without ever waiting?`,
        zh: `${name} 被停止了，因为程序使用的 CPU 时间超过了这次运行允许的上限：是不是有循环在空转、从不等待？`,
      };
    case 'process-limit':
      return {
        en: `${name} was stopped because the programs started more processes or threads than the run allows.`,
        zh: `${name} 被停止了，因为程序启动的进程或线程超过了这次运行允许的数量。`,
      };
    case 'stopped':
      return {
        en: `${name} was still running when the run was stopped.`,
        zh: `运行被停止时，${name} 仍在运行。`,
      };
    default:
      return {
        en: `${name} was still running when the run ended, so the run killed it.`,
        zh: `运行结束时 ${name} 仍在运行，于是被终止了。`,
      };
  }
}
