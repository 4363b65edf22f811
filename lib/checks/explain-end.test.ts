import { describe, expect, it } from 'vitest';
import type { BlockedThread, RunRecord } from '../lessons/define.ts';
import type { RunEndReason } from '../protocol.ts';
import { explainEnd } from './explain-end.ts';
import { en, fixture, zh, type FixtureName } from './fixtures/fixture.ts';

/** The run `name` with process `proc`'s traceback ending in `line` instead of its own. */
function withException(name: FixtureName, proc: string, line: string): RunRecord {
  const run = fixture(name);
  Object.assign(run.processes[proc]!, {
    end: 'exited',
    exitCode: 1,
    signal: null,
    stderr: `Traceback (most recent call last):\n  File "/app/${proc}", line 3, in <module>\n    sock.recv(1024)\n${line}\n`,
  });
  return run;
}

/** The run `name` with `proc` snapshotted in these blocked threads (the sandbox's job). */
function withBlocked(name: FixtureName, proc: string, blocked: BlockedThread[]): RunRecord {
  const run = fixture(name);
  run.processes[proc]!.blocked = blocked;
  return run;
}

/** The run `name` ended for `reason`, with `proc` killed by it. */
function killedBy(name: FixtureName, proc: string, reason: RunEndReason): RunRecord {
  const run = fixture(name);
  run.reason = reason;
  Object.assign(run.processes[proc]!, { end: 'killed', exitCode: null, signal: 'SIGKILL' });
  return run;
}

/** Both languages' sentences for `proc` of `run`. */
const both = (run: RunRecord, proc: string) => [
  explainEnd(run, proc, en),
  explainEnd(run, proc, zh),
];

const HANG_SOCKET = { proto: 'tcp', local: '127.0.0.1:43218', remote: '127.0.0.1:8080' } as const;

describe('explainEnd: how a process that exited ended', () => {
  it('says a process finished normally on exit status 0', () => {
    expect(both(fixture('echo'), 'client.py')).toEqual([
      'client.py finished normally (exit status 0).',
      'client.py 正常结束（退出状态 0）。',
    ]);
  });

  it('names the port that refused a connection, from the RST in the capture', () => {
    expect(both(fixture('refused'), 'client.py')).toEqual([
      'client.py stopped with an exception: ConnectionRefusedError: [Errno 111] Connection refused. Nothing listens on 127.0.0.1:8081 — is the server running?',
      'client.py 因异常而停止：ConnectionRefusedError: [Errno 111] Connection refused。127.0.0.1:8081 上没有程序在监听——服务器在运行吗？',
    ]);
  });

  it('still explains a refusal when the run has no capture', () => {
    const run = fixture('refused');
    delete run.packets;
    const [english, chinese] = both(run, 'client.py');
    expect(english).toMatch(
      /Nothing listens on the address it connected to — is the server running\?$/,
    );
    expect(chinese).toMatch(/它连接的地址上没有程序在监听——服务器在运行吗？$/);
  });

  it('explains a chunk split inside a multibyte character', () => {
    expect(both(fixture('unicode-traceback'), 'client.py')).toEqual([
      "client.py stopped with an exception: UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe4 in position 0: unexpected end of data. A chunk ended inside a multibyte character: decode after joining the chunks.",
      "client.py 因异常而停止：UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe4 in position 0: unexpected end of data。某一块数据在一个多字节字符的中间断开了：先把各块拼接起来，再解码。",
    ]);
  });

  it('explains an address already in use', () => {
    expect(both(fixture('address-in-use'), 'server.py')).toEqual([
      'server.py stopped with an exception: OSError: [Errno 98] Address already in use. Another socket already holds that address, and only one can listen on a port: is another server of this run already using it?',
      'server.py 因异常而停止：OSError: [Errno 98] Address already in use。另一个套接字已经占用了这个地址，而一个端口上只能有一个套接字监听：是不是这次运行里的另一个服务器已经在用它了？',
    ]);
  });

  it('explains a timeout, under its new and its old name', () => {
    const [english, chinese] = both(fixture('timeout'), 'client.py');
    expect(english).toBe(
      'client.py stopped with an exception: TimeoutError: timed out. A socket call waited longer than the timeout set with settimeout() and gave up: what it waited for did not come in time.',
    );
    expect(chinese).toBe(
      'client.py 因异常而停止：TimeoutError: timed out。某个套接字调用等待的时间超过了 settimeout() 设定的超时，于是放弃了：它等待的东西没有及时到来。',
    );
    const old = withException('timeout', 'client.py', 'socket.timeout: timed out');
    expect(explainEnd(old, 'client.py', en)).toContain('settimeout()');
  });

  it.each([
    [
      'ConnectionResetError: [Errno 104] Connection reset by peer',
      'The peer reset the connection (RST)',
      '对方重置了连接（RST）',
    ],
    [
      'BrokenPipeError: [Errno 32] Broken pipe',
      'It wrote to a connection that was already closed — by the peer, or never established (a socket whose connect() failed).',
      '它向一个已经关闭的连接写入了数据——可能是对方已关闭，也可能这个连接从未建立（connect() 失败过的套接字）。',
    ],
    [
      "UnicodeDecodeError: 'ascii' codec can't decode byte 0xe4 in position 0: ordinal not in range(128)",
      'The bytes are not in that encoding: text on the network here is UTF-8, so decode with .decode("utf-8").',
      '这些字节不是那种编码：这里网络上的文本都是 UTF-8，请用 .decode("utf-8") 解码。',
    ],
    [
      'socket.gaierror: [Errno -3] Temporary failure in name resolution',
      'The sandbox has no Internet and no DNS',
      '沙箱里没有互联网，也没有 DNS',
    ],
    [
      'OSError: [Errno 101] Network is unreachable',
      'The sandbox has no Internet and no DNS',
      '沙箱里没有互联网，也没有 DNS',
    ],
    [
      'EOFError: EOF when reading a line',
      'input() found no more input',
      'input() 没有读到更多输入',
    ],
  ])('adds the likely cause of %s', (line, english, chinese) => {
    const run = withException('echo', 'client.py', line);
    expect(explainEnd(run, 'client.py', en)).toMatch(/^client\.py stopped with an exception: /);
    expect(explainEnd(run, 'client.py', en)).toContain(`${line}. ${english}`);
    expect(explainEnd(run, 'client.py', zh)).toContain(`${line}。${chinese}`);
  });

  it('quotes other exceptions alone, without doubling their full stop', () => {
    expect(both(fixture('syntax-error'), 'client.py')).toEqual([
      "client.py stopped with an exception: SyntaxError: '(' was never closed.",
      "client.py 因异常而停止：SyntaxError: '(' was never closed。",
    ]);
    const run = withException('echo', 'client.py', 'ValueError: no reply.');
    expect(both(run, 'client.py')).toEqual([
      'client.py stopped with an exception: ValueError: no reply.',
      'client.py 因异常而停止：ValueError: no reply.',
    ]);
  });

  it('gives an exit status, with what the process said last on stderr', () => {
    const run = fixture('echo');
    Object.assign(run.processes['client.py']!, { exitCode: 3, stderr: 'usage: client.py PORT\n' });
    expect(both(run, 'client.py')).toEqual([
      'client.py exited with status 3: usage: client.py PORT',
      'client.py 以退出状态 3 结束：usage: client.py PORT',
    ]);
    run.processes['client.py']!.stderr = '';
    expect(both(run, 'client.py')).toEqual([
      'client.py exited with status 3.',
      'client.py 以退出状态 3 结束。',
    ]);
  });

  it('names the signal that ended a process', () => {
    expect(both(fixture('signal'), 'client.py')).toEqual([
      'client.py was ended by the signal SIGSEGV (a crash inside native code).',
      'client.py 被信号 SIGSEGV 终止（原生代码里发生了崩溃）。',
    ]);
    const run = fixture('signal');
    run.processes['client.py']!.signal = 'SIGUSR1';
    expect(both(run, 'client.py')).toEqual([
      'client.py was ended by the signal SIGUSR1.',
      'client.py 被信号 SIGUSR1 终止。',
    ]);
  });

  it('says a server stopped at the end of the run was not failing', () => {
    expect(both(fixture('echo'), 'echo')).toEqual([
      'peer:echo was still running when the run ended, so the run stopped it (normal for a server).',
      '运行结束时 peer:echo 仍在运行，所以被停止了（对服务器来说这很正常）。',
    ]);
  });

  it('says so when the run had no such process', () => {
    expect(both(fixture('echo'), 'server.py')).toEqual([
      'server.py did not run.',
      'server.py 没有运行。',
    ]);
  });
});

describe('explainEnd: at the time limit, from what the process was blocked in', () => {
  it('blames a recv() whose peer waited for the end of the request', () => {
    const run = withBlocked('recv-hang', 'client.py', [
      { call: 'recv', syscall: 'recvfrom', socket: { ...HANG_SOCKET, state: 'ESTABLISHED' } },
    ]);
    expect(both(run, 'client.py')).toEqual([
      'client.py waited in recv() on 127.0.0.1:43218 → 127.0.0.1:8080 (ESTABLISHED) for data that never came, until the time limit stopped it: the peer was waiting for you to send more, or to end your request with sock.shutdown(socket.SHUT_WR).',
      'client.py 一直在 127.0.0.1:43218 → 127.0.0.1:8080（ESTABLISHED）的 recv() 里等待始终没有到来的数据，直到时间限制把它停掉：对方在等你继续发送，或者等你用 sock.shutdown(socket.SHUT_WR) 结束请求。',
    ]);
  });

  it('blames a recv() loop waiting for b"" from a peer that had sent everything', () => {
    const local = `127.0.0.1:${fixture('loop-hang').packets![0]!.sport}`;
    const run = withBlocked('loop-hang', 'client.py', [
      {
        call: 'recv',
        syscall: 'recvfrom',
        socket: { proto: 'tcp', local, remote: '127.0.0.1:8080', state: 'ESTABLISHED' },
      },
    ]);
    const [english, chinese] = both(run, 'client.py');
    expect(english).toMatch(
      /: the peer had sent everything and was waiting for you; recv\(\) returns b"" only once the peer closes, so stop reading once the whole message is in \(you know its length or its delimiter\), or, if the peer closes when you are done, end your side first with sock\.shutdown\(socket\.SHUT_WR\)\.$/,
    );
    expect(chinese).toMatch(
      /：对方已经发完了所有数据，正在等你；只有对方关闭连接后 recv\(\) 才会返回 b""/,
    );
  });

  it('says nobody spoke on a connection without data, and what it can without a capture', () => {
    const socket = { ...HANG_SOCKET, state: 'ESTABLISHED' };
    const silent = withBlocked('recv-hang', 'client.py', [
      { call: 'recv', syscall: 'read', socket },
    ]);
    silent.packets = silent.packets!.filter((packet) => packet.len === 0);
    expect(both(silent, 'client.py').map((text) => text.split(/: |：/).at(-1))).toEqual([
      'the peer was waiting for you to send first.',
      '对方在等你先发送。',
    ]);
    const blind = withBlocked('recv-hang', 'client.py', [
      { call: 'recv', syscall: 'read', socket },
    ]);
    delete blind.packets;
    expect(both(blind, 'client.py').map((text) => text.split(/: |：/).at(-1))).toEqual([
      'the peer sent nothing more and did not close the connection.',
      '对方没有再发送任何数据，也没有关闭连接。',
    ]);
  });

  it('advises a timeout and a resend for a UDP reply that never came', () => {
    const run = killedBy('udp', 'client.py', 'time-limit');
    run.processes['client.py']!.blocked = [
      {
        call: 'recv',
        syscall: 'recvfrom',
        socket: { proto: 'udp', local: '127.0.0.1:54528', state: 'UNCONN' },
      },
    ];
    expect(both(run, 'client.py')).toEqual([
      'client.py waited for a datagram on 127.0.0.1:54528 that never came, until the time limit stopped it: UDP does not resend a lost datagram, so set a timeout with sock.settimeout() and send again when it expires.',
      'client.py 一直在 127.0.0.1:54528 上等待一个始终没有到来的数据报，直到时间限制把它停掉：UDP 不会重发丢失的数据报，所以请用 sock.settimeout() 设置超时，超时后再发送一次。',
    ]);
    run.processes['client.py']!.blocked![0]!.socket!.local = '127.0.0.1:9999';
    expect(both(run, 'client.py').map((text) => text.split(/: |：/).at(-1))).toEqual([
      'no datagram was sent to it.',
      '没有任何数据报发给它。',
    ]);
  });

  it('blames an accept() that no client answered', () => {
    const run = withBlocked('accept-hang', 'server.py', [
      {
        call: 'accept',
        syscall: 'accept4',
        socket: { proto: 'tcp', local: '127.0.0.1:9000', state: 'LISTEN' },
      },
    ]);
    expect(both(run, 'server.py')).toEqual([
      'server.py waited in accept() on 127.0.0.1:9000 for a client that never connected, until the time limit stopped it.',
      'server.py 一直在 127.0.0.1:9000 上的 accept() 里等待一个始终没有连上来的客户端，直到时间限制把它停掉。',
    ]);
  });

  it.each([
    [
      { call: 'connect', syscall: 'connect', socket: { ...HANG_SOCKET, state: 'SYN_SENT' } },
      'client.py waited in connect() to 127.0.0.1:8080 for an answer that never came, until the time limit stopped it.',
      'client.py 一直在连接 127.0.0.1:8080 的 connect() 里等待一个始终没有到来的回应，直到时间限制把它停掉。',
    ],
    [
      { call: 'send', syscall: 'sendto', socket: { ...HANG_SOCKET, state: 'ESTABLISHED' } },
      'client.py waited in send() on 127.0.0.1:43218 → 127.0.0.1:8080 until the time limit stopped it: the peer stopped reading, so its receive buffer filled up and nothing more could go out.',
      'client.py 一直在 127.0.0.1:43218 → 127.0.0.1:8080 的 send() 里等待，直到时间限制把它停掉：对方不再读取，它的接收缓冲区满了，数据再也发不出去。',
    ],
    [
      { call: 'input', syscall: 'read' },
      'client.py waited for keyboard input (input()) that nobody typed, until the time limit stopped it.',
      'client.py 一直在等待键盘输入（input()），却没有人输入，直到时间限制把它停掉。',
    ],
    [
      { call: 'select', syscall: 'poll' },
      'client.py waited in poll() for a socket to become ready, and none did before the time limit stopped it.',
      'client.py 一直在 poll() 里等待某个套接字就绪，直到时间限制把它停掉也没有一个就绪。',
    ],
    [
      { call: 'sleep', syscall: 'clock_nanosleep' },
      'client.py was sleeping (time.sleep()) when the time limit stopped it: it needed more time than the run allows.',
      '时间限制把 client.py 停掉时，它正在休眠（time.sleep()）：它需要的时间超过了这次运行允许的时长。',
    ],
    [
      { call: 'other', syscall: 'futex' },
      'client.py was blocked in the system call futex() when the time limit stopped it.',
      '时间限制把 client.py 停掉时，它正阻塞在系统调用 futex() 里。',
    ],
  ] as Array<[BlockedThread, string, string]>)(
    'explains a thread blocked in %o',
    (thread, english, chinese) => {
      expect(both(withBlocked('recv-hang', 'client.py', [thread]), 'client.py')).toEqual([
        english,
        chinese,
      ]);
    },
  );

  it('picks the most telling of several threads', () => {
    const run = withBlocked('accept-hang', 'server.py', [
      { call: 'sleep', syscall: 'clock_nanosleep' },
      {
        call: 'accept',
        syscall: 'accept4',
        socket: { proto: 'tcp', local: '127.0.0.1:9000', state: 'LISTEN' },
      },
    ]);
    expect(explainEnd(run, 'server.py', en)).toMatch(/^server\.py waited in accept\(\)/);
  });
});

describe('explainEnd: at the time limit, from the packets when nothing was snapshotted', () => {
  it('reads a request sent and never answered', () => {
    expect(both(fixture('recv-hang'), 'client.py')).toEqual([
      'client.py was still running when the time limit stopped it: it had sent 4 bytes to port 8080 (the last in packet #4) and nothing came back, so it was most likely waiting in recv() while the peer waited for more, e.g. for the end of the request (sock.shutdown(socket.SHUT_WR)).',
      '时间限制把 client.py 停掉时，它还在运行：它向 8080 端口发送了 4 字节（最后一段是第 4 个包），却什么也没收到，所以它很可能在 recv() 里等待，而对方在等更多数据，例如等请求结束（sock.shutdown(socket.SHUT_WR)）。',
    ]);
  });

  it('reads a reply received from a peer that never closed (the FIN at the kill does not count)', () => {
    expect(both(fixture('loop-hang'), 'client.py')).toEqual([
      'client.py was still running when the time limit stopped it: the last data came from port 8080 (packet #6) and that side never closed the connection (no FIN), so a recv() loop waiting for b"" waited forever: stop reading once the whole message is in (you know its length or its delimiter), or, if the peer closes when you are done, end your side first with sock.shutdown(socket.SHUT_WR).',
      '时间限制把 client.py 停掉时，它还在运行：最后的数据来自 8080 端口（第 6 个包），而那一端从未关闭连接（没有 FIN），所以等待 b"" 的 recv() 循环会一直等下去：收到完整的消息后（你知道它的长度或分隔符）就该停止读取；如果对方在你结束后才关闭，请先用 sock.shutdown(socket.SHUT_WR) 结束你这一端。',
    ]);
  });

  it('sees a FIN the peer sent well before the kill', () => {
    const run = fixture('loop-hang');
    const peerFin = run.packets!.find((packet) => packet.n === 9)!;
    peerFin.t = 500;
    expect(both(run, 'client.py').map((text) => text.split(/it: |它还在运行：/)[1])).toEqual([
      'port 8080 had closed the connection (FIN, packet #9), so it was waiting for something else.',
      '8080 端口早已关闭了连接（FIN，第 9 个包），所以它是在等别的东西。',
    ]);
  });

  it('reads a connection on which nobody spoke', () => {
    const run = fixture('recv-hang');
    run.packets = run.packets!.filter((packet) => packet.len === 0);
    expect(both(run, 'client.py').map((text) => text.split(/it: |它还在运行：/)[1])).toEqual([
      'no data went either way on its connection with port 8080: each side was waiting for the other to send first.',
      '它与 8080 端口的连接上双方都没有发送任何数据：每一方都在等对方先发。',
    ]);
  });

  it('reads a datagram that got no reply', () => {
    const run = killedBy('udp', 'client.py', 'time-limit');
    run.packets = run.packets!.slice(0, 1);
    expect(both(run, 'client.py')).toEqual([
      'client.py was still running when the time limit stopped it: its last datagram to port 9001 (packet #1) got no reply, so it was most likely waiting for one that never came: UDP does not resend a lost datagram, so set a timeout with sock.settimeout() and send again when it expires.',
      '时间限制把 client.py 停掉时，它还在运行：它发往 9001 端口的最后一个数据报（第 1 个包）没有得到回复，所以它很可能在等一个始终没有到来的回复：UDP 不会重发丢失的数据报，所以请用 sock.settimeout() 设置超时，超时后再发送一次。',
    ]);
  });

  it('falls back to "still running" when the packets say nothing about the process', () => {
    expect(both(fixture('accept-hang'), 'server.py')).toEqual([
      'server.py was still running when the time limit stopped it: it did not finish in time (an endless loop, or a wait for something that never came).',
      '时间限制把 server.py 停掉时，它还在运行：它没能按时结束（可能是死循环，或者在等待始终没有到来的东西）。',
    ]);
    const answered = killedBy('udp', 'client.py', 'time-limit');
    expect(explainEnd(answered, 'client.py', en)).toMatch(/did not finish in time/);
  });
});

describe('explainEnd: killed by another limit or by Stop', () => {
  it.each([
    ['output-limit', "the run's output went over its limit", '输出超过了上限'],
    ['memory-limit', 'used more memory than the run allows', '使用的内存超过了'],
    ['cpu-limit', 'used more CPU time than the run allows', '使用的 CPU 时间超过了'],
    [
      'process-limit',
      'started more processes or threads than the run allows',
      '启动的进程或线程超过了',
    ],
    ['stopped', 'was still running when the run was stopped', '运行被停止时'],
    ['error', 'was still running when the run ended, so the run killed it', '于是被终止了'],
  ] as Array<[RunEndReason, string, string]>)(
    'says %s in both languages',
    (reason, english, chinese) => {
      const [inEnglish, inChinese] = both(killedBy('recv-hang', 'client.py', reason), 'client.py');
      expect(inEnglish).toMatch(/^client\.py /);
      expect(inEnglish).toContain(english);
      expect(inChinese).toContain('client.py');
      expect(inChinese).toContain(chinese);
    },
  );
});
