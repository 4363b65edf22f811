import { defineLesson, type PeerReport, type RunRecord } from '@handshake/lesson';

const LINES = ['hello', 'handshake', '你好，套接字'];

const reportsOf = (run: RunRecord, event: string): PeerReport[] =>
  run.reports.filter((report) => report.event === event);

export default defineLesson({
  processes: [
    { file: 'server.py' },
    { peer: 'tcp-client', name: 'client', port: 8080, options: { lines: LINES } },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'every-line-echoed',
      title: { en: 'Every line came back unchanged', zh: '每一行都被原样送回' },
      run: (run, t) => {
        if (
          reportsOf(run, 'connect-failed').length > 0 ||
          reportsOf(run, 'connected').length === 0
        ) {
          return {
            pass: false,
            message: t({
              en: 'The test client could not connect to 127.0.0.1:8080. Is your server listening there?',
              zh: '测试客户端无法连接到 127.0.0.1:8080。你的服务器在那里监听了吗？',
            }),
          };
        }
        const echoes = reportsOf(run, 'echo');
        const wrong = echoes.find((echo) => echo.ok !== true);
        if (!wrong && echoes.length === LINES.length) {
          return {
            pass: true,
            message: t({
              en: `All ${LINES.length} lines were echoed.`,
              zh: `${LINES.length} 行全部被回显。`,
            }),
          };
        }
        const sent = JSON.stringify(wrong?.data ?? LINES[echoes.length]);
        const got = JSON.stringify(wrong?.got ?? '');
        return {
          pass: false,
          message: t({
            en: `The client sent ${sent} and expected the same bytes back, but received ${got}.`,
            zh: `客户端发送了 ${sent}，期望收到同样的字节，实际收到的是 ${got}。`,
          }),
          details: run.processes['peer:client']?.stdout,
        };
      },
    },
    {
      id: 'closed-cleanly',
      title: { en: 'The connection closed cleanly', zh: '连接被正常关闭' },
      run: (run, t) => {
        const closed = reportsOf(run, 'closed').at(-1);
        if (closed?.clean === true) {
          return {
            pass: true,
            message: t({
              en: 'The client closed its side and your server closed too.',
              zh: '客户端关闭了它那一端，你的服务器也随之关闭。',
            }),
          };
        }
        const how =
          closed?.state === 'reset' || closed?.state === 'open' || closed?.state === 'closed'
            ? closed.state
            : 'unknown';
        const messages = {
          reset: {
            en: 'Your server reset the connection (RST) instead of closing it.',
            zh: '你的服务器重置了连接（RST），而不是正常关闭。',
          },
          open: {
            en: 'After the client closed its side, your server kept the connection open. When recv() returns b"", close the connection.',
            zh: '客户端关闭它那一端之后，你的服务器仍然保持连接。当 recv() 返回 b"" 时，请关闭连接。',
          },
          closed: {
            en: 'Your server sent bytes the client never sent, so the exchange was not a clean echo.',
            zh: '你的服务器发送了客户端从未发送过的字节，所以这不是一次干净的回显。',
          },
          unknown: {
            en: 'The exchange did not get as far as closing.',
            zh: '通信没有进行到关闭连接这一步。',
          },
        } as const;
        return {
          pass: false,
          message: t(messages[how]),
          details: run.processes['peer:client']?.stdout,
        };
      },
    },
    {
      id: 'server-did-not-crash',
      title: { en: 'Your server did not crash', zh: '你的服务器没有崩溃' },
      run: (run, t) => {
        const server = run.processes['server.py'];
        if (server && (server.exitCode === 0 || server.end === 'stopped')) {
          return { pass: true, message: t({ en: 'No traceback.', zh: '没有异常回溯。' }) };
        }
        const lastLine = server?.stderr.trim().split('\n').at(-1) ?? '';
        return {
          pass: false,
          message: t({
            en: `server.py failed${lastLine ? `: ${lastLine}` : ''}.`,
            zh: `server.py 出错${lastLine ? `：${lastLine}` : ''}。`,
          }),
          details: server?.stderr || undefined,
        };
      },
    },
  ],
});
