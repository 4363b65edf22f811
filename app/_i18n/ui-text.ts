/**
 * Every string of the app's own UI, in each lesson language. Lesson prose is translated in
 * content/; this is the chrome around it.
 */
import type { Lang } from '../../lib/protocol.ts';

const en = {
  languageName: 'English',
  siteTagline: 'Python network programming, with real sockets.',
  lessonsHeading: 'Lessons',
  lessonsIntro:
    'Each lesson pairs a short explanation with code you run in a real Linux sandbox, next to the programs it talks to.',
  noLessons: 'There are no lessons yet. Add a folder under content/.',
  startLesson: 'Open lesson',
  allLessons: 'All lessons',
  previousLesson: 'Previous',
  nextLesson: 'Next',
  lessonNumber: (n: number, total: number) => `Lesson ${n} of ${total}`,
  switchLanguage: 'Language',
  notFoundTitle: 'Lesson not found',
  notFoundBody: 'There is no lesson at this address. It may have been renamed.',
  backToLessons: 'Back to the lesson list',
  lessonPane: 'Lesson',
  workbench: 'Workbench',
  resizePanes: 'Resize panes',
  files: 'Files',
  editorLabel: (file: string) => `Editor: ${file}`,
  modified: 'modified',
  loadingEditor: 'Loading editor…',
  run: 'Run',
  stop: 'Stop',
  reset: 'Reset',
  runShortcut: 'Ctrl+Enter',
  runShortcutMac: '⌘+Enter',
  resetTitle: 'Reset all files?',
  resetBody: 'Every file goes back to the lesson’s starter code. Your edits will be lost.',
  resetConfirm: 'Reset files',
  cancel: 'Cancel',
  connecting: 'Connecting to the sandbox…',
  connected: 'Sandbox connected',
  reconnecting: 'Sandbox disconnected — reconnecting…',
  originRejected:
    'The sandbox refused this page’s address (check HANDSHAKE_ALLOWED_ORIGINS) — retrying…',
  closed: 'Sandbox connection closed',
  runDisabled: 'Waiting for the sandbox connection',
  output: 'Output',
  terminalsHint: 'Press Run to start your code. Each program gets its own terminal here.',
  terminalLabel: (label: string) => `Terminal: ${label}`,
  typeHint: 'Click the terminal to type. Enter sends a line, Ctrl-C interrupts, Ctrl-D ends input.',
  status: {
    waiting: 'waiting',
    running: 'running',
    stopped: 'stopped',
    killed: 'killed',
    exit: (code: number) => `exit ${code}`,
    signal: (signal: string) => `ended by ${signal}`,
  },
  phase: {
    idle: 'Ready.',
    starting: 'Starting…',
    queued: (position: number) => `Waiting for a free sandbox — position ${position} in the queue.`,
    running: 'Running…',
    finished: (seconds: string) => `Finished in ${seconds} s.`,
  },
  problem: {
    busy: (message: string, seconds: number) => `${message} Try again in ${seconds} s.`,
    connectionLost:
      'The connection to the sandbox dropped, so this run ended. Your code is safe; run it again.',
  },
  checks: 'Checks',
  checksPending: 'Checks run when your programs finish.',
  checksSummary: (passed: number, total: number) => `${passed} of ${total} passed`,
  allChecksPassed: 'All checks passed. Well done!',
  firstFailure: 'First problem',
  details: 'Details',
  checkStatus: { pass: 'passed', fail: 'failed', error: 'error' },
  quiz: {
    check: 'Check answer',
    correct: 'Correct.',
    wrong: 'Not quite — try again.',
    showAnswer: 'Show answer',
    answerWas: 'The answer is highlighted.',
  },
  hint: 'Hint',
  note: 'Note',
  warning: 'Warning',
  tip: 'Tip',
};

export type UiText = typeof en;

const zh: UiText = {
  languageName: '中文',
  siteTagline: '用真实的套接字学习 Python 网络编程。',
  lessonsHeading: '课程',
  lessonsIntro:
    '每一课都有一段简短的讲解，以及在真实 Linux 沙箱中运行的代码——和它要通信的程序一起运行。',
  noLessons: '还没有课程。请在 content/ 下添加一个文件夹。',
  startLesson: '打开课程',
  allLessons: '全部课程',
  previousLesson: '上一课',
  nextLesson: '下一课',
  lessonNumber: (n, total) => `第 ${n} 课，共 ${total} 课`,
  switchLanguage: '语言',
  notFoundTitle: '找不到这节课',
  notFoundBody: '这个地址没有对应的课程，它可能已经改名。',
  backToLessons: '返回课程列表',
  lessonPane: '课程',
  workbench: '工作台',
  resizePanes: '调整窗格大小',
  files: '文件',
  editorLabel: (file) => `编辑器：${file}`,
  modified: '已修改',
  loadingEditor: '正在加载编辑器…',
  run: '运行',
  stop: '停止',
  reset: '重置',
  runShortcut: 'Ctrl+Enter',
  runShortcutMac: '⌘+Enter',
  resetTitle: '重置所有文件？',
  resetBody: '所有文件都会恢复为本课的初始代码，你的修改将会丢失。',
  resetConfirm: '重置文件',
  cancel: '取消',
  connecting: '正在连接沙箱…',
  connected: '沙箱已连接',
  reconnecting: '沙箱连接已断开——正在重新连接…',
  originRejected: '沙箱拒绝了本页面的地址（请检查 HANDSHAKE_ALLOWED_ORIGINS）——正在重试…',
  closed: '沙箱连接已关闭',
  runDisabled: '正在等待沙箱连接',
  output: '输出',
  terminalsHint: '点击“运行”启动你的代码。每个程序都会在这里有自己的终端。',
  terminalLabel: (label) => `终端：${label}`,
  typeHint: '点击终端即可输入。回车发送一行，Ctrl-C 中断，Ctrl-D 结束输入。',
  status: {
    waiting: '等待中',
    running: '运行中',
    stopped: '已停止',
    killed: '已终止',
    exit: (code) => `退出码 ${code}`,
    signal: (signal) => `被 ${signal} 结束`,
  },
  phase: {
    idle: '就绪。',
    starting: '正在启动…',
    queued: (position) => `正在等待空闲的沙箱——排在第 ${position} 位。`,
    running: '运行中…',
    finished: (seconds) => `运行结束，用时 ${seconds} 秒。`,
  },
  problem: {
    busy: (message, seconds) => `${message} 请在 ${seconds} 秒后重试。`,
    connectionLost: '与沙箱的连接断开了，本次运行已结束。你的代码没有丢失，请再运行一次。',
  },
  checks: '检查',
  checksPending: '程序结束后会运行检查。',
  checksSummary: (passed, total) => `通过 ${passed} / ${total}`,
  allChecksPassed: '全部检查通过，做得好！',
  firstFailure: '第一个问题',
  details: '详情',
  checkStatus: { pass: '通过', fail: '未通过', error: '出错' },
  quiz: {
    check: '检查答案',
    correct: '正确。',
    wrong: '不太对——再试一次。',
    showAnswer: '显示答案',
    answerWas: '正确答案已高亮显示。',
  },
  hint: '提示',
  note: '注意',
  warning: '警告',
  tip: '小技巧',
};

const TEXT: Record<Lang, UiText> = { en, zh };

/** The UI strings for a language. */
export function uiText(lang: Lang): UiText {
  return TEXT[lang];
}

/** The value of `<html lang>` for a lesson language (Simplified Chinese picks the right CJK glyphs). */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-Hans' : 'en';
}
