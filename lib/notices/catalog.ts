/**
 * The one place where Handshake's notices (lib/protocol.ts `Notice`) become sentences, in every
 * language, each language next to the other so that a reviewer sees both. The server and the
 * peers send codes and parameters; the browser, the CLI, a peer's terminal and the check judge
 * word them here. Framework-free and zod-free (types only), so the peer bundle can include it.
 */
import type { Lang, Notice, NoticeCode, NoticeParams } from '../protocol.ts';
import { FAULT_WORDING } from './fault-wording.ts';
import { formatBytes, formatSeconds, plural } from './units.ts';

type Wording<C extends NoticeCode> = Record<Lang, (params: NoticeParams<C>) => string>;
/** Every code's wording in every language: a code or a language missing is a type error. */
export type NoticeCatalog = { [C in NoticeCode]: Wording<C> };

const NOT_YOUR_CODE = {
  server: {
    en: 'a server problem, not your code',
    zh: '这是服务器的问题，不是你的代码的问题',
  },
  page: {
    en: 'a problem with the page, not your code',
    zh: '这是页面的问题，不是你的代码的问题',
  },
  lesson: {
    en: 'a problem with the lesson, not your code',
    zh: '这是课程的问题，不是你的代码的问题',
  },
} as const;

export const NOTICE_CATALOG: NoticeCatalog = {
  busy: {
    en: (p) =>
      `The sandbox is busy: every run slot (${p.slots}) is taken and ${p.waiting === 1 ? '1 run is' : `${p.waiting} runs are`} waiting. Try again in about ${formatSeconds(p.retryAfterSeconds, 'en')}.`,
    zh: (p) =>
      `沙箱正忙：全部 ${p.slots} 个运行位都已占用，还有 ${p.waiting} 个运行在排队。请在大约 ${formatSeconds(p.retryAfterSeconds, 'zh')}后重试。`,
  },
  'rate-limited': {
    en: (p) => `Too many runs from your address at once (at most ${p.max}). Wait for one to end.`,
    zh: (p) => `来自你的地址的同时运行太多（最多 ${p.max} 个）。请等其中一个结束。`,
  },
  'stdin-too-large': {
    en: (p) => `A run accepts at most ${formatBytes(p.maxBytes, 'en')} of typed input.`,
    zh: (p) => `一次运行最多接受 ${formatBytes(p.maxBytes, 'zh')} 的键盘输入。`,
  },
  'message-too-large': {
    en: (p) =>
      `The page sent ${formatBytes(p.bytes, 'en')} at once, more than the ${formatBytes(p.maxBytes, 'en')} the sandbox accepts: make the files smaller.`,
    zh: (p) =>
      `页面一次发送了 ${formatBytes(p.bytes, 'zh')}，超过了沙箱接受的 ${formatBytes(p.maxBytes, 'zh')}：请把文件改小一些。`,
  },
  'binary-message': {
    en: () =>
      `The sandbox accepts JSON text messages only, not binary ones (${NOT_YOUR_CODE.page.en}).`,
    zh: () => `沙箱只接受 JSON 文本消息，不接受二进制消息（${NOT_YOUR_CODE.page.zh}）。`,
  },
  'bad-message': {
    en: (p) =>
      `The sandbox could not use a message from this page (${NOT_YOUR_CODE.page.en}): ${p.detail}`,
    zh: (p) => `沙箱无法使用本页面发来的一条消息（${NOT_YOUR_CODE.page.zh}）：${p.detail}`,
  },
  'run-id-in-use': {
    en: (p) => `Run id ${p.runId} is already in use on this connection; each run needs a new one.`,
    zh: (p) => `运行编号 ${p.runId} 已在此连接上用过；每次运行都需要一个新的编号。`,
  },
  'unknown-run': {
    en: (p) => `Run ${p.runId} is not running on this connection.`,
    zh: (p) => `运行 ${p.runId} 不在此连接上运行。`,
  },
  'run-not-started': {
    en: (p) => `Run ${p.runId} has not started yet; input is accepted once it runs.`,
    zh: (p) => `运行 ${p.runId} 还没有开始；开始运行后才接受输入。`,
  },
  'unknown-process': {
    en: (p) => `This run has no process called "${p.process}".`,
    zh: (p) => `本次运行中没有名为“${p.process}”的进程。`,
  },
  'unknown-lesson': {
    en: (p) => `There is no lesson "${p.lesson}" on this server.`,
    zh: (p) => `此服务器上没有课程“${p.lesson}”。`,
  },
  'lesson-load-failed': {
    en: (p) =>
      `The lesson "${p.lesson}" could not be loaded (a server problem; it has been logged).`,
    zh: (p) => `无法加载课程“${p.lesson}”（这是服务器的问题，已记录）。`,
  },
  'lesson-broken': {
    en: (p) => `This lesson cannot run (${NOT_YOUR_CODE.lesson.en}): ${p.detail}`,
    zh: (p) => `这节课无法运行（${NOT_YOUR_CODE.lesson.zh}）：${p.detail}`,
  },
  'no-files': {
    en: () => 'A run needs at least one file.',
    zh: () => '一次运行至少需要一个文件。',
  },
  'too-many-files': {
    en: (p) => `A run may have at most ${p.max} files, not ${p.count}.`,
    zh: (p) => `一次运行最多只能有 ${p.max} 个文件，而不是 ${p.count} 个。`,
  },
  'bad-file-name': {
    en: (p) =>
      `"${p.file}" is not a file name the sandbox accepts: letters, digits, _ or -, ending in .py (like client.py).`,
    zh: (p) =>
      `沙箱不接受文件名“${p.file}”：只能用字母、数字、_ 或 -，并以 .py 结尾（例如 client.py）。`,
  },
  'duplicate-file': {
    en: (p) => `${p.file} is sent twice.`,
    zh: (p) => `${p.file} 被发送了两次。`,
  },
  'file-too-large': {
    en: (p) => `${p.file} is larger than the ${formatBytes(p.maxBytes, 'en')} a file may hold.`,
    zh: (p) => `${p.file} 超过了单个文件 ${formatBytes(p.maxBytes, 'zh')} 的上限。`,
  },
  'missing-file': {
    en: (p) => `This lesson runs ${p.file}, but the page did not send it.`,
    zh: (p) => `这节课要运行 ${p.file}，但页面没有发送它。`,
  },
  'run-completed': {
    en: () => 'The run finished.',
    zh: () => '运行结束。',
  },
  'run-stopped': {
    en: () => 'The run was stopped.',
    zh: () => '运行已停止。',
  },
  'stopped-before-start': {
    en: () => 'Stopped before it started.',
    zh: () => '在开始之前就停止了。',
  },
  'replaced-before-start': {
    en: () => 'Stopped before it started: a new run replaced it.',
    zh: () => '在开始之前就停止了：新的运行取代了它。',
  },
  'time-limit': {
    en: (p) => `Time limit of ${formatSeconds(p.seconds, 'en')} reached: the run was stopped.`,
    zh: (p) => `已达到 ${formatSeconds(p.seconds, 'zh')}的时间限制：运行已停止。`,
  },
  'output-limit': {
    en: (p) => `Output limit of ${formatBytes(p.bytes, 'en')} reached: the program was stopped.`,
    zh: (p) => `已达到 ${formatBytes(p.bytes, 'zh')} 的输出限制：程序已停止。`,
  },
  'memory-limit': {
    en: (p) => `Memory limit of ${formatBytes(p.bytes, 'en')} reached: the program was stopped.`,
    zh: (p) => `已达到 ${formatBytes(p.bytes, 'zh')} 的内存限制：程序已停止。`,
  },
  'cpu-limit': {
    en: (p) =>
      `CPU time limit of ${formatSeconds(p.seconds, 'en')} reached: the program was stopped.`,
    zh: (p) => `已达到 ${formatSeconds(p.seconds, 'zh')}的 CPU 时间限制：程序已停止。`,
  },
  'process-limit': {
    en: (p) =>
      `Too many processes: the limit of ${p.count} was reached and the program was stopped.`,
    zh: (p) => `进程过多：已达到 ${p.count} 个的上限，程序已停止。`,
  },
  'peer-crashed': {
    en: (p) =>
      `${p.label} stopped unexpectedly (${p.signal ? `killed by ${p.signal}` : `exit code ${p.exitCode}`}), so the run was ended; its terminal shows why.`,
    zh: (p) =>
      `${p.label} 意外停止（${p.signal ? `被信号 ${p.signal} 终止` : `退出码 ${p.exitCode}`}），因此运行已结束；它的终端里有原因。`,
  },
  internal: {
    en: () => 'The server failed to handle that; it has been logged.',
    zh: () => '服务器没能处理这个请求；已记录。',
  },
  'sandbox-failed': {
    en: () =>
      `The sandbox failed while running this program (${NOT_YOUR_CODE.server.en}); it has been logged.`,
    zh: () => `沙箱在运行此程序时出错（${NOT_YOUR_CODE.server.zh}）；已记录。`,
  },
  'sandbox-restarted': {
    en: () =>
      `The sandbox stopped unexpectedly while running this program (${NOT_YOUR_CODE.server.en}). It has restarted: press Run again.`,
    zh: () =>
      `沙箱在运行此程序时意外停止（${NOT_YOUR_CODE.server.zh}）。沙箱已重新启动：请再次点击运行。`,
  },
  'sandbox-refused': {
    en: () =>
      `The sandbox could not start this program (${NOT_YOUR_CODE.server.en}); it has been logged.`,
    zh: () => `沙箱无法启动此程序（${NOT_YOUR_CODE.server.zh}）；已记录。`,
  },
  'capture-packet-limit': {
    en: (p) => `Capture stopped after ${p.packets} packets; the programs kept running.`,
    zh: (p) => `抓到 ${p.packets} 个数据包后停止了抓包；程序仍在继续运行。`,
  },
  'capture-byte-limit': {
    en: (p) => `Capture stopped after ${formatBytes(p.bytes, 'en')}; the programs kept running.`,
    zh: (p) => `抓包达到 ${formatBytes(p.bytes, 'zh')} 后停止；程序仍在继续运行。`,
  },
  'faults-truncated': {
    en: (p) =>
      `Only the first ${plural(p.faults, 'network fault')} ${p.faults === 1 ? 'is' : 'are'} shown; the programs kept running.`,
    zh: (p) => `只显示前 ${p.faults} 个网络故障；程序仍在继续运行。`,
  },
  'output-skipped': {
    en: (p) =>
      `[handshake: ${p.characters} characters of output skipped: the connection could not keep up]`,
    zh: (p) => `[handshake：跳过了 ${p.characters} 个字符的输出：连接跟不上]`,
  },
  'check-threw': {
    en: () => `This check is broken (${NOT_YOUR_CODE.lesson.en}); its error is in the details.`,
    zh: () => `这项检查本身出错了（${NOT_YOUR_CODE.lesson.zh}）；错误信息见详情。`,
  },
  'check-timeout': {
    en: (p) =>
      `This check did not finish within ${formatSeconds(p.seconds, 'en')} (${NOT_YOUR_CODE.lesson.en}).`,
    zh: (p) =>
      `这项检查没有在 ${formatSeconds(p.seconds, 'zh')}内完成（${NOT_YOUR_CODE.lesson.zh}）。`,
  },
  'check-bad-result': {
    en: () =>
      `This check returned something other than { pass, message } (${NOT_YOUR_CODE.lesson.en}).`,
    zh: () => `这项检查返回的不是 { pass, message }（${NOT_YOUR_CODE.lesson.zh}）。`,
  },
  'origin-rejected': {
    en: () =>
      'The sandbox refused this page’s address (check HANDSHAKE_ALLOWED_ORIGINS) — retrying…',
    zh: () => '沙箱拒绝了本页面的地址（请检查 HANDSHAKE_ALLOWED_ORIGINS）——正在重试…',
  },
  'too-many-connections': {
    en: () =>
      'The sandbox refused this connection: too many are open from your address. Close other tabs of this site — retrying…',
    zh: () => '沙箱拒绝了这个连接：来自你的地址的连接太多。请关闭本网站的其他标签页——正在重试…',
  },
  'server-shutting-down': {
    en: () => 'The sandbox server is restarting — reconnecting…',
    zh: () => '沙箱服务器正在重启——正在重新连接…',
  },
  'server-draining': {
    en: () =>
      'This sandbox server is shutting down and starts no new runs — reconnecting to another one; press Run again once connected.',
    zh: () =>
      '这台沙箱服务器正在关闭，不再开始新的运行——正在连接另一台服务器；连接后请再按一次“运行”。',
  },
  'run-token-forged': {
    en: () =>
      'The sandbox did not accept this page’s class sign-in (its signature did not match) — retrying…',
    zh: () => '沙箱不接受本页面的班级登录凭证（签名不符）——正在重试…',
  },
  'run-token-expired': {
    en: () => 'This page’s class sign-in for the sandbox had expired — getting a new one…',
    zh: () => '本页面用于沙箱的班级登录凭证已过期——正在获取新的凭证…',
  },
  'run-token-replayed': {
    en: () =>
      'This page’s class sign-in for the sandbox had already been used — getting a new one…',
    zh: () => '本页面用于沙箱的班级登录凭证已被使用过——正在获取新的凭证…',
  },
  'run-token-unchecked': {
    en: () => 'The sandbox could not check your class sign-in right now — retrying…',
    zh: () => '沙箱暂时无法核对你的班级登录凭证——正在重试…',
  },
  'run-not-saved': {
    en: () =>
      'This run was not saved to your class: the server could not record it. Your code is still in the editor; run it again to save it.',
    zh: () =>
      '这次运行没有保存到你的班级：服务器无法记录它。你的代码仍在编辑器中，再运行一次即可保存。',
  },
  ...FAULT_WORDING,
};

/** The notice as one sentence (or a terminal line) in `lang`. */
export function renderNotice(notice: Notice, lang: Lang): string {
  const wording = NOTICE_CATALOG[notice.code] as Wording<typeof notice.code>;
  return wording[lang](notice.params as never);
}
