/**
 * The built-in peers in real runs: each one's behaviour, its human log and its reports, the
 * start order around them, and that learner code can neither see nor kill them.
 */
import { describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { eventOf, expectNothingLeft, outputOf, py, runFiles } from './sandbox-harness.ts';

const CLIENT = py`
  import socket
  with socket.create_connection(("127.0.0.1", 8080)) as sock:
      sock.sendall(b"hello")
      print(sock.recv(100).decode())
`;

describe('peers', () => {
  it('tcp-echo echoes, logs in plain words and reports what it saw', async () => {
    const lesson: LessonDefinition = {
      processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'client.py' }],
    };
    const run = await runFiles({ 'client.py': CLIENT }, { lesson });
    expect(outputOf(run, 'client.py')).toBe('hello\n');
    const log = outputOf(run, 'peer:echo');
    expect(log).toContain('echo: listening on 127.0.0.1:8080');
    expect(log).toMatch(/echo: connection from 127\.0\.0\.1:\d+/);
    expect(log).toContain('echo: received "hello" (5 bytes), echoing');
    expect(run.record.reports.map((report) => report.event)).toEqual(
      expect.arrayContaining(['listening', 'connection', 'received', 'closed']),
    );
    expect(
      run.record.processes['peer:echo']!.reports.find((r) => r.event === 'received'),
    ).toMatchObject({ data: 'hello' });
    expect(eventOf(run, 'process-exited', 'peer:echo')).toMatchObject({ end: 'stopped' });
    expect(eventOf(run, 'run-started').processes[0]).toEqual({
      name: 'peer:echo',
      kind: 'peer',
      label: 'peer: echo',
    });
    expectNothingLeft(run.info);
  });

  it('tcp-echo with waitForEnd echoes the whole request only after the client half-closes', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { peer: 'tcp-echo', name: 'echo', port: 8080, options: { waitForEnd: true } },
        { file: 'client.py' },
      ],
    };
    const client = py`
      import socket
      with socket.create_connection(("127.0.0.1", 8080)) as sock:
          sock.sendall(b"one ")
          sock.sendall(b"two")
          sock.settimeout(0.3)
          try:
              print("early:", sock.recv(100))
          except TimeoutError:
              print("nothing before the end")
          sock.settimeout(5)
          sock.shutdown(socket.SHUT_WR)
          reply = b""
          while chunk := sock.recv(100):
              reply += chunk
          print(reply.decode())
    `;
    const run = await runFiles({ 'client.py': client }, { lesson });
    expect(outputOf(run, 'client.py')).toBe('nothing before the end\none two\n');
    expect(run.record.reports.find((r) => r.event === 'request-ended')).toMatchObject({ bytes: 7 });
    expect(outputOf(run, 'peer:echo')).toContain(
      'echo: echoing the whole request (7 bytes), then closing',
    );
    expectNothingLeft(run.info);
  });

  it('tcp-client verifies every echo of a learner server and sees a clean close', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { file: 'server.py' },
        { peer: 'tcp-client', port: 8080, options: { lines: ['one', 'two'] } },
      ],
    };
    const server = py`
      import socket
      with socket.create_server(("127.0.0.1", 8080)) as server:
          conn, _ = server.accept()
          with conn:
              while data := conn.recv(1024):
                  conn.sendall(data)
    `;
    const run = await runFiles({ 'server.py': server }, { lesson });
    const client = run.record.processes['peer:tcp-client']!;
    expect(client.exitCode).toBe(0);
    expect(client.reports.filter((r) => r.event === 'echo').map((r) => r.ok)).toEqual([true, true]);
    expect(client.reports.find((r) => r.event === 'closed')).toMatchObject({ clean: true });
    expect(outputOf(run, 'peer:tcp-client')).toContain('client: received "one\\n": echo ok');
    expectNothingLeft(run.info);
  });

  it('tcp-client reports a wrong echo and fails', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { file: 'server.py' },
        { peer: 'tcp-client', port: 8080, options: { lines: ['abc'] } },
      ],
    };
    const upper = py`
      import socket
      with socket.create_server(("127.0.0.1", 8080)) as server:
          conn, _ = server.accept()
          conn.sendall(conn.recv(100).upper())
          conn.close()
    `;
    const run = await runFiles({ 'server.py': upper }, { lesson });
    expect(run.record.processes['peer:tcp-client']!.exitCode).toBe(1);
    expect(outputOf(run, 'peer:tcp-client')).toContain(
      'expected "abc\\n" back, but received "ABC\\n"',
    );
    expectNothingLeft(run.info);
  });

  it('tcp-client says clearly when nothing listens', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { file: 'idle.py' },
        { peer: 'tcp-client', port: 8080, options: { connectTimeoutMs: 300 } },
      ],
    };
    const run = await runFiles({ 'idle.py': 'print("not a server")' }, { lesson });
    expect(outputOf(run, 'peer:tcp-client')).toContain(
      'could not connect to 127.0.0.1:8080 within 0.3 s',
    );
    expect(run.record.reports.map((r) => r.event)).toContain('connect-failed');
    expectNothingLeft(run.info);
  });

  it('udp-echo echoes datagrams and tcp-greeter greets and closes', async () => {
    const lesson: LessonDefinition = {
      processes: [
        { peer: 'udp-echo', port: 9999 },
        { peer: 'tcp-greeter', port: 7000, options: { greeting: 'hi there\n' } },
        { file: 'both.py' },
      ],
    };
    const both = py`
      import socket
      udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      udp.settimeout(2)
      udp.sendto(b"ping", ("127.0.0.1", 9999))
      print(udp.recvfrom(100)[0])
      with socket.create_connection(("127.0.0.1", 7000)) as tcp:
          print(tcp.makefile().read())
    `;
    const run = await runFiles({ 'both.py': both }, { lesson });
    expect(outputOf(run, 'both.py')).toBe("b'ping'\nhi there\n\n");
    expect(outputOf(run, 'peer:udp-echo')).toContain('udp-echo: received "ping" (4 bytes)');
    expect(outputOf(run, 'peer:tcp-greeter')).toContain(
      'greeter: sent "hi there\\n" and closed the connection',
    );
    expectNothingLeft(run.info);
  });

  it('hides the peer from learner code: no peer process visible, kill(-1) cannot reach it', async () => {
    const lesson: LessonDefinition = {
      processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'attack.py' }],
    };
    const attack = py`
      import os, signal, socket
      pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
      names = [open(f"/proc/{p}/cmdline", "rb").read().split(b"\\0")[0] for p in pids]
      print("pids", pids, "node" in repr(names))
      try:
          os.kill(-1, signal.SIGKILL)
      except OSError as error:
          print("kill -1:", error.errno)
      for pid in range(2, 400):
          try:
              os.kill(pid, signal.SIGKILL)
          except OSError:
              pass
      with socket.create_connection(("127.0.0.1", 8080)) as sock:
          sock.sendall(b"still there?")
          print(sock.recv(100).decode())
    `;
    const run = await runFiles({ 'attack.py': attack }, { lesson });
    const out = outputOf(run, 'attack.py');
    expect(out).toContain('pids [1] False');
    expect(out).toContain('still there?');
    expect(eventOf(run, 'process-exited', 'peer:echo')).toMatchObject({ end: 'stopped' });
    expectNothingLeft(run.info);
  });
});
