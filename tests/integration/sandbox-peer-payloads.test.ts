/**
 * The peers' per-run payloads and newer options in real runs: text drawn from the run's seed
 * (the same for the same seed), reported as sent so checks can compare it with what the learner
 * printed; the greeter's request, the test client's connections and half-close, UDP broadcast to
 * a peer bound to 0.0.0.0, the UDP test client and the framing server.
 */
import { describe, expect, it } from 'vitest';
import type { LessonDefinition, RunRecord } from '../../lib/lessons/define.ts';
import { createExpander } from '../../sandbox-server/peers/payload.ts';
import { mixSeed } from '../../sandbox-server/peers/prng.ts';
import { expectNothingLeft, outputOf, py, runFiles } from './sandbox-harness.ts';

/** The reports of process `name` with `event`. */
function reports(run: { record: RunRecord }, name: string, event: string) {
  return run.record.processes[name]!.reports.filter((report) => report.event === event);
}

describe('peers with per-run payloads', () => {
  it('tcp-echo sends a seeded banner first, the same for the same seed, and reports it', async () => {
    const lesson: LessonDefinition = {
      processes: [
        {
          peer: 'tcp-echo',
          name: 'echo',
          port: 8080,
          options: { banner: 'welcome {word} #{number} {token} {zh}\n' },
        },
        { file: 'client.py' },
      ],
    };
    const client = py`
      import socket
      with socket.create_connection(("127.0.0.1", 8080)) as sock:
          banner = sock.makefile("rb").readline()
          print(banner.decode().strip())
          sock.sendall(b"ping")
          print(sock.recv(100).decode())
    `;
    const run = await runFiles({ 'client.py': client }, { lesson, seed: 42 });
    // The peer's seed: the run's, mixed with its place in the start order (first).
    const expected = createExpander(mixSeed(42, 0))('welcome {word} #{number} {token} {zh}\n');
    expect(expected).toMatch(/^welcome [a-z]+ #\d+ [a-z0-9]{8} \S{2,4}\n$/);
    expect(outputOf(run, 'client.py')).toBe(`${expected.trim()}\nping\n`);
    expect(reports(run, 'peer:echo', 'sent').map((r) => [r.kind, r.data])).toEqual([
      ['banner', expected],
      ['echo', 'ping'],
    ]);
    expect(outputOf(run, 'peer:echo')).toContain(
      `echo: sent the banner ${JSON.stringify(expected)}`,
    );
    const again = await runFiles({ 'client.py': client }, { lesson, seed: 42 });
    expect(reports(again, 'peer:echo', 'sent')[0]!.data).toBe(expected);
    expectNothingLeft(again.info);
  });

  it('tcp-greeter with waitForRequest reports the request line, then greets', async () => {
    const lesson: LessonDefinition = {
      processes: [
        {
          peer: 'tcp-greeter',
          name: 'greeter',
          port: 7000,
          options: { greeting: 'hi {word}\n', waitForRequest: true },
        },
        { file: 'client.py' },
      ],
    };
    const client = py`
      import socket, time
      with socket.create_connection(("127.0.0.1", 7000)) as sock:
          sock.sendall(b"HELLO ")
          time.sleep(0.2)
          sock.sendall("你好\\n".encode())
          print(sock.makefile().read().strip())
      with socket.create_connection(("127.0.0.1", 7000)) as sock:
          sock.sendall(b"no newline")
          sock.shutdown(socket.SHUT_WR)
          print(sock.makefile().read().strip())
    `;
    const run = await runFiles({ 'client.py': client }, { lesson, seed: 7 });
    const requests = reports(run, 'peer:greeter', 'request');
    expect(requests.map((r) => [r.data, r.complete])).toEqual([
      ['HELLO 你好\n', true],
      ['no newline', false],
    ]);
    const sent = reports(run, 'peer:greeter', 'sent').map((r) => String(r.data).trim());
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^hi [a-z]+$/);
    expect(outputOf(run, 'client.py')).toBe(`${sent[0]}\n${sent[1]}\n`);
    const log = outputOf(run, 'peer:greeter');
    expect(log).toContain('greeter: received "HELLO " (6 bytes); waiting for the rest of the line');
    expect(log).toContain('greeter: received the request "HELLO 你好\\n"');
    expect(log).toContain('the client ended its request "no newline" without a "\\n"');
    expectNothingLeft(run.info);
  });

  it('tcp-client makes its connections one after another, half-closing each', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { file: 'server.py' },
        {
          peer: 'tcp-client',
          port: 8080,
          options: { lines: ['{word} {zh}', 'n={number}'], connections: 2, halfClose: true },
        },
      ],
    };
    // Reads each request to its end (the client's FIN), then sends it all back and closes.
    const server = py`
      import socket
      with socket.create_server(("127.0.0.1", 8080)) as server:
          for _ in range(2):
              conn, _ = server.accept()
              with conn:
                  data = b""
                  while chunk := conn.recv(3):
                      data += chunk
                  conn.sendall(data)
                  print(repr(data.decode()))
    `;
    const run = await runFiles({ 'server.py': server }, { lesson });
    const client = run.record.processes['peer:tcp-client']!;
    expect(client.exitCode).toBe(0);
    const matched = reports(run, 'peer:tcp-client', 'reply-matched');
    expect(matched.map((r) => r.connection)).toEqual([1, 2]);
    const sent = reports(run, 'peer:tcp-client', 'sent');
    expect(sent).toHaveLength(4);
    const first = `${sent[0]!.data}${sent[1]!.data}`;
    expect(first).toMatch(/^[a-z]+ \S{2,4}\nn=\d+\n$/);
    // Each connection draws anew.
    expect(`${sent[2]!.data}${sent[3]!.data}`).not.toBe(first);
    expect(matched[0]!.data).toBe(first);
    expect(outputOf(run, 'server.py').split('\n')[0]).toBe(`'${first.replaceAll('\n', '\\n')}'`);
    const log = outputOf(run, 'peer:tcp-client');
    expect(log).toContain('client: connection 2 of 2');
    expect(log).toContain('shut down the sending side (FIN), reading the reply until EOF');
    expect(log).toContain(`received ${JSON.stringify(first)} before the server closed`);
    expectNothingLeft(run.info);
  });

  it('tcp-client with halfClose fails a server whose reply is not the whole request', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { file: 'server.py' },
        {
          peer: 'tcp-client',
          port: 8080,
          options: { lines: ['one', 'two', 'three'], halfClose: true },
        },
      ],
    };
    // Reads to the end, but sends back only the first line (closing cleanly: no RST).
    const server = py`
      import socket
      with socket.create_server(("127.0.0.1", 8080)) as server:
          conn, _ = server.accept()
          with conn:
              data = b""
              while chunk := conn.recv(1024):
                  data += chunk
              conn.sendall(data.split(b"\\n")[0] + b"\\n")
    `;
    const run = await runFiles({ 'server.py': server }, { lesson });
    expect(run.record.processes['peer:tcp-client']!.exitCode).toBe(1);
    expect(reports(run, 'peer:tcp-client', 'reply-mismatch')[0]).toMatchObject({
      expected: 'one\ntwo\nthree\n',
      got: 'one\n',
    });
    expect(reports(run, 'peer:tcp-client', 'closed')).toMatchObject([{ state: 'closed' }]);
    expect(outputOf(run, 'peer:tcp-client')).toContain(
      'expected "one\\ntwo\\nthree\\n" back, but received "one\\n" before the server closed',
    );
    expectNothingLeft(run.info);
  });

  it('udp-echo bound to 0.0.0.0 receives a broadcast sent with SO_BROADCAST', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { peer: 'udp-echo', name: 'any', port: 9001, options: { host: '0.0.0.0', reply: false } },
        { peer: 'udp-echo', name: 'lo', port: 9002 },
        { file: 'sender.py' },
      ],
    };
    const sender = py`
      import socket, time
      sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      try:
          sock.sendto(b"no option", ("127.255.255.255", 9001))
      except PermissionError as error:
          print("without SO_BROADCAST:", error)
      sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
      sock.sendto(b"to all", ("127.255.255.255", 9001))
      sock.sendto(b"to all", ("127.255.255.255", 9002))
      time.sleep(0.3)
    `;
    const run = await runFiles({ 'sender.py': sender }, { lesson });
    expect(outputOf(run, 'sender.py')).toBe('without SO_BROADCAST: [Errno 13] Permission denied\n');
    expect(reports(run, 'peer:any', 'received').map((r) => r.data)).toEqual(['to all']);
    expect(reports(run, 'peer:any', 'sent')).toEqual([]);
    // Bound to 127.0.0.1, a socket does not receive datagrams sent to the broadcast address.
    expect(reports(run, 'peer:lo', 'received')).toEqual([]);
    const log = outputOf(run, 'peer:any');
    expect(log).toContain('udp-echo: bound to 0.0.0.0:9001 (UDP)');
    expect(log).toMatch(/received "to all" \(6 bytes\) from 127\.0\.0\.1:\d+; not replying/);
    expectNothingLeft(run.info);
  });

  it('udp-client reports each datagram sent, its reply or its timeout', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { file: 'server.py' },
        {
          peer: 'udp-client',
          port: 9000,
          options: { lines: ['{word}', '{zh}', 'third'], replyTimeoutMs: 400 },
        },
      ],
    };
    // Answers every datagram but the second, in upper case.
    const server = py`
      import socket
      sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      sock.bind(("127.0.0.1", 9000))
      for n in range(3):
          data, sender = sock.recvfrom(1024)
          print(data.decode())
          if n != 1:
              sock.sendto(data.upper(), sender)
    `;
    const run = await runFiles({ 'server.py': server }, { lesson });
    const name = 'peer:udp-client';
    expect(run.record.processes[name]!.exitCode).toBe(1);
    const sent = reports(run, name, 'sent').map((r) => String(r.data));
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^[a-z]+$/);
    expect(Buffer.byteLength(sent[1]!)).toBe(3 * sent[1]!.length);
    expect(outputOf(run, 'server.py')).toBe(`${sent.join('\n')}\n`);
    expect(reports(run, name, 'received').map((r) => [r.index, r.data])).toEqual([
      [1, sent[0]!.toUpperCase()],
      [3, 'THIRD'],
    ]);
    expect(reports(run, name, 'timeout')).toMatchObject([{ index: 2 }]);
    expect(outputOf(run, name)).toContain('udp-client: no reply to datagram #2 within 0.4 s');
    expectNothingLeft(run.info);
  });

  it('udp-client says when nothing is bound to its port', async () => {
    const lesson: LessonDefinition = {
      processes: [{ file: 'idle.py' }, { peer: 'udp-client', port: 9000 }],
    };
    const run = await runFiles({ 'idle.py': 'print("not a server")' }, { lesson });
    expect(reports(run, 'peer:udp-client', 'refused')).toMatchObject([{ index: 1 }]);
    expect(outputOf(run, 'peer:udp-client')).toContain(
      'nothing receives on 127.0.0.1:9000 (UDP): the kernel answered "port unreachable"',
    );
    expectNothingLeft(run.info);
  });

  it('tcp-framer sends length-prefixed messages together and decodes the reply', async () => {
    const lesson: LessonDefinition = {
      processes: [
        {
          peer: 'tcp-framer',
          name: 'framer',
          port: 8080,
          options: { framing: 'length', messages: ['{zh}', '{word} {number}'] },
        },
        { file: 'client.py' },
      ],
    };
    const client = py`
      import socket, struct
      def recv_exactly(sock, n):
          data = b""
          while len(data) < n:
              chunk = sock.recv(n - len(data))
              if not chunk:
                  raise EOFError
              data += chunk
          return data
      with socket.create_connection(("127.0.0.1", 8080)) as sock:
          for _ in range(2):
              (length,) = struct.unpack("!I", recv_exactly(sock, 4))
              text = recv_exactly(sock, length).decode()
              print(text)
              reply = ("got " + text).encode()
              sock.sendall(struct.pack("!I", len(reply)) + reply)
          sock.shutdown(socket.SHUT_WR)
          print("end:", sock.recv(10))
    `;
    const run = await runFiles({ 'client.py': client }, { lesson });
    const sent = reports(run, 'peer:framer', 'sent').map((r) => String(r.data));
    expect(sent).toHaveLength(2);
    expect(outputOf(run, 'client.py')).toBe(`${sent[0]}\n${sent[1]}\nend: b''\n`);
    expect(reports(run, 'peer:framer', 'received-message').map((r) => r.data)).toEqual(
      sent.map((text) => `got ${text}`),
    );
    expect(reports(run, 'peer:framer', 'framing-error')).toEqual([]);
    const log = outputOf(run, 'peer:framer');
    expect(log).toContain('framer: messages are framed with a 4-byte big-endian length');
    expect(log).toContain('framer: the client closed its side after 2 messages: closing');
    expectNothingLeft(run.info);
  });

  it('tcp-framer reports line-framing errors: a cut-off message and bytes that are not UTF-8', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { peer: 'tcp-framer', name: 'framer', port: 8080, options: { messages: ['a', 'b'] } },
        { file: 'client.py' },
      ],
    };
    const client = py`
      import socket
      with socket.create_connection(("127.0.0.1", 8080)) as sock:
          print(repr(sock.recv(100)))
          sock.sendall(b"first\\nsecond without end")
          sock.shutdown(socket.SHUT_WR)
          sock.recv(10)
      with socket.create_connection(("127.0.0.1", 8080)) as sock:
          sock.sendall(b"\\xff\\xfe\\n")
          sock.shutdown(socket.SHUT_WR)
          try:
              sock.recv(10)
          except ConnectionResetError:
              pass
    `;
    const run = await runFiles({ 'client.py': client }, { lesson });
    expect(outputOf(run, 'client.py')).toBe("b'a\\nb\\n'\n");
    expect(reports(run, 'peer:framer', 'received-message').map((r) => r.data)).toEqual(['first']);
    expect(reports(run, 'peer:framer', 'framing-error')).toMatchObject([
      { reason: 'incomplete', bytes: 18 },
      { reason: 'not-utf8', hex: 'ff fe' },
    ]);
    const log = outputOf(run, 'peer:framer');
    expect(log).toContain('the connection ended in the middle of a message: 18 bytes left over');
    expect(log).toContain('a message is not valid UTF-8: bytes ff fe');
    expectNothingLeft(run.info);
  });
});
