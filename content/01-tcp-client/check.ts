import { defineLesson, type RunRecord } from '@handshake/lesson';

/** Everything the echo server received, in order. */
function receivedByServer(run: RunRecord): string {
  return run.reports
    .filter((report) => report.event === 'received')
    .map((report) => String(report.data))
    .join('');
}

export default defineLesson({
  processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'client.py' }],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'server-received',
      title: { en: 'The echo server received your message', zh: '回显服务器收到了你的消息' },
      run: (run, t) => {
        const received = receivedByServer(run);
        if (received.length > 0) {
          return {
            pass: true,
            message: t({
              en: `It received ${JSON.stringify(received)}.`,
              zh: `它收到了 ${JSON.stringify(received)}。`,
            }),
          };
        }
        return {
          pass: false,
          message: t({
            en: 'The echo server received nothing. Send MESSAGE with sock.sendall(MESSAGE.encode("utf-8")).',
            zh: '回显服务器什么也没收到。请用 sock.sendall(MESSAGE.encode("utf-8")) 发送 MESSAGE。',
          }),
        };
      },
    },
    {
      id: 'printed-echo',
      title: { en: 'Your client printed the echo as text', zh: '你的客户端以文本形式打印了回显' },
      run: (run, t) => {
        const received = receivedByServer(run).trim();
        const client = run.processes['client.py'];
        const lines = (client?.stdout ?? '').split('\n').map((line) => line.trim());
        if (received && lines.includes(received)) {
          return { pass: true, message: t({ en: 'It printed the echo.', zh: '它打印出了回显。' }) };
        }
        const printedBytes = lines.some((line) => line.startsWith("b'") || line.startsWith('b"'));
        if (received && printedBytes) {
          return {
            pass: false,
            message: t({
              en: 'You printed a bytes object (b\'…\'). Decode it first: print(reply.decode("utf-8")).',
              zh: '你打印的是 bytes 对象（b\'…\'）。请先解码：print(reply.decode("utf-8"))。',
            }),
            details: client?.stdout,
          };
        }
        return {
          pass: false,
          message: t({
            en: received
              ? `Expected a line ${JSON.stringify(received)} in the client's output.`
              : 'Nothing was echoed, so there was nothing to print yet.',
            zh: received
              ? `客户端的输出里应当有一行 ${JSON.stringify(received)}。`
              : '服务器没有回显任何内容，所以还没有可打印的东西。',
          }),
          details: client?.stderr || client?.stdout || undefined,
        };
      },
    },
    {
      id: 'client-exited-cleanly',
      title: { en: 'Your client finished without an error', zh: '你的客户端正常结束，没有报错' },
      run: (run, t) => {
        const client = run.processes['client.py'];
        if (client?.exitCode === 0)
          return { pass: true, message: t({ en: 'Exit status 0.', zh: '退出状态为 0。' }) };
        const lastLine = client?.stderr.trim().split('\n').at(-1);
        return {
          pass: false,
          message: t({
            en: `client.py ended with ${describeEnd(client)}${lastLine ? `: ${lastLine}` : ''}.`,
            zh: `client.py 以 ${describeEnd(client)} 结束${lastLine ? `：${lastLine}` : ''}。`,
          }),
          details: client?.stderr || undefined,
        };
      },
    },
  ],
});

function describeEnd(process: RunRecord['processes'][string] | undefined): string {
  if (!process) return 'no result';
  if (process.exitCode !== null) return `exit status ${process.exitCode}`;
  return process.signal ?? process.end;
}
