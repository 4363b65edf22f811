import { defineLesson, type RunRecord } from '@handshake/lesson';

const MESSAGES = ['msg 1', 'msg 2', 'msg 3', 'msg 4', 'msg 5'];

/** The messages the client printed as "echo: …", in order. */
function echoesPrinted(run: RunRecord): string[] {
  const stdout = run.processes['client.py']?.stdout ?? '';
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('echo: '))
    .map((line) => line.slice('echo: '.length).trim());
}

const lost = (run: RunRecord): number =>
  run.faults.filter((fault) => fault.action === 'dropped').length;

export default defineLesson({
  processes: [
    { peer: 'udp-echo', name: 'echo', port: 9001 },
    // A fixed seed: every learner meets the same losses, and the tutorial's client always hangs
    // where the lesson says, after the first echoes (msg 1 and 2 come back, msg 3 is lost).
    {
      peer: 'udp-relay',
      name: 'relay',
      port: 9000,
      options: { target: 9001, loss: 0.3, seed: 20261167 },
    },
    { file: 'client.py' },
  ],
  limits: { wallSeconds: 8 },
  checks: [
    {
      id: 'all-echoes',
      title: { en: 'All five echoes came back', zh: '五个回显全部收到' },
      run: (run, t) => {
        const printed = echoesPrinted(run);
        if (MESSAGES.every((message, index) => printed[index] === message)) {
          return {
            pass: true,
            message: t({ en: 'It printed all five, in order.', zh: '五个都按顺序打印出来了。' }),
          };
        }
        if (run.reason === 'time-limit') {
          return {
            pass: false,
            message: t({
              en: `Your client waited forever after ${printed.length} echo(es): a datagram or its echo was lost, and recvfrom() never returns then. Give the socket a timeout (sock.settimeout(0.3)) and send again when it runs out.`,
              zh: `你的客户端在收到 ${printed.length} 个回显后一直在等：某个数据报或它的回显丢了，这时 recvfrom() 永远不会返回。给套接字设置超时（sock.settimeout(0.3)），超时后重发。`,
            }),
            details: run.processes['client.py']?.stdout,
          };
        }
        return {
          pass: false,
          message: t({
            en: 'Print each echo as "echo: msg N", for msg 1 to msg 5, in order.',
            zh: '请按顺序把每个回显打印成 "echo: msg N"（msg 1 到 msg 5）。',
          }),
          details: run.processes['client.py']?.stdout,
        };
      },
    },
    {
      id: 'resent-lost',
      title: { en: 'Lost datagrams were sent again', zh: '丢失的数据报都重发了' },
      run: (run, t) => {
        const received = new Set(
          run.reports
            .filter((report) => report.process === 'peer:echo' && report.event === 'received')
            .map((report) => String(report.data)),
        );
        const missing = MESSAGES.filter((message) => !received.has(message));
        if (missing.length === 0) {
          return {
            pass: true,
            message: t({
              en: `The relay lost ${lost(run)} datagram(s); your client sent again until every message got through.`,
              zh: `中继丢了 ${lost(run)} 个数据报；你的客户端不断重发，直到每条消息都送达。`,
            }),
          };
        }
        return {
          pass: false,
          message: t({
            en: `The echo server never received ${missing.map((m) => JSON.stringify(m)).join(', ')}: UDP does not resend, so your program must.`,
            zh: `回显服务器始终没有收到 ${missing.map((m) => JSON.stringify(m)).join('、')}：UDP 不会重发，只能由你的程序来重发。`,
          }),
        };
      },
    },
  ],
});
