/**
 * What a learner program was blocked in when the wall-time limit killed it: real Python programs
 * in the real sandbox, each stuck in a different call, and the snapshot the record and the
 * process-exited event carry (sandbox-server/jail/proc-blocked.ts).
 */
import { describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { MAX_BLOCKED_THREADS } from '../../lib/protocol.ts';
import { eventOf, expectNothingLeft, py, runFiles, type TestRun } from './sandbox-harness.ts';

/** Long enough for Python to start and block on a busy machine, short enough for a test. */
const limits = { wallSeconds: 3 };

const ECHO_WAITING: LessonDefinition['processes'][number] = {
  peer: 'tcp-echo',
  name: 'echo',
  port: 8080,
  options: { waitForEnd: true },
};

/** The record's snapshot for `name`, checked to match the process-exited event's. */
function blockedOf(run: TestRun, name: string) {
  expect(run.record.reason).toBe('time-limit');
  const blocked = run.record.processes[name]!.blocked;
  expect(eventOf(run, 'process-exited', name).blocked).toEqual(blocked);
  return blocked;
}

describe('blocked at the time limit', () => {
  it('a client waiting in recv for an echo that waits for its end', async () => {
    const client = py`
      import socket
      sock = socket.create_connection(("127.0.0.1", 8080))
      sock.sendall(b"hello")
      print(sock.recv(100))
    `;
    const lesson = { processes: [ECHO_WAITING, { file: 'client.py' }] };
    const run = await runFiles({ 'client.py': client }, { lesson, limits });
    expect(blockedOf(run, 'client.py')).toEqual([
      {
        call: 'recv',
        syscall: 'recvfrom',
        socket: {
          proto: 'tcp',
          local: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
          remote: '127.0.0.1:8080',
          state: 'ESTABLISHED',
        },
      },
    ]);
    expect(run.record.processes['peer:echo']!.blocked).toBeUndefined();
    expectNothingLeft(run.info);
  });

  it('a server in accept and a program in time.sleep', async () => {
    const server = py`
      import socket
      srv = socket.socket()
      srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      srv.bind(("127.0.0.1", 9000))
      srv.listen()
      srv.accept()
    `;
    const sleeper = py`
      import time
      time.sleep(60)
    `;
    const lesson = { processes: [{ file: 'server.py' }, { file: 'sleeper.py' }] };
    const run = await runFiles({ 'server.py': server, 'sleeper.py': sleeper }, { lesson, limits });
    expect(blockedOf(run, 'server.py')).toEqual([
      {
        call: 'accept',
        syscall: 'accept4',
        socket: { proto: 'tcp', local: '127.0.0.1:9000', state: 'LISTEN' },
      },
    ]);
    expect(blockedOf(run, 'sleeper.py')).toEqual([
      { call: 'sleep', syscall: expect.stringMatching(/^(clock_)?nanosleep$/) },
    ]);
    expectNothingLeft(run.info);
  });

  it('a program waiting in input()', async () => {
    const asker = py`
      name = input("name? ")
      print("hello", name)
    `;
    const run = await runFiles({ 'ask.py': asker }, { limits });
    expect(blockedOf(run, 'ask.py')).toEqual([{ call: 'input', syscall: 'read' }]);
    expectNothingLeft(run.info);
  });

  it('a socket with a timeout: Python polls before it reads, so the thread is in select', async () => {
    const client = py`
      import socket
      sock = socket.create_connection(("127.0.0.1", 8080))
      sock.settimeout(60)
      sock.sendall(b"hello")
      print(sock.recv(100))
    `;
    const lesson = { processes: [ECHO_WAITING, { file: 'client.py' }] };
    const run = await runFiles({ 'client.py': client }, { lesson, limits });
    // The polled fd is in the program's memory, which the snapshot never reads: no socket.
    expect(blockedOf(run, 'client.py')).toEqual([{ call: 'select', syscall: 'poll' }]);
    expectNothingLeft(run.info);
  });

  it('a threaded server: the main thread in accept, a handler thread in recv', async () => {
    const server = py`
      import socket, threading
      def handle(conn):
          while data := conn.recv(100):
              conn.sendall(data)
      srv = socket.socket()
      srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      srv.bind(("127.0.0.1", 9000))
      srv.listen()
      while True:
          conn, _ = srv.accept()
          threading.Thread(target=handle, args=(conn,)).start()
    `;
    const client = py`
      import socket, time
      sock = socket.create_connection(("127.0.0.1", 9000))
      time.sleep(60)
    `;
    const lesson = { processes: [{ file: 'server.py' }, { file: 'client.py' }] };
    const run = await runFiles({ 'server.py': server, 'client.py': client }, { lesson, limits });
    expect(blockedOf(run, 'server.py')).toEqual([
      {
        call: 'accept',
        syscall: 'accept4',
        socket: { proto: 'tcp', local: '127.0.0.1:9000', state: 'LISTEN' },
      },
      {
        call: 'recv',
        syscall: 'recvfrom',
        socket: {
          proto: 'tcp',
          local: '127.0.0.1:9000',
          remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
          state: 'ESTABLISHED',
        },
      },
    ]);
    expectNothingLeft(run.info);
  });

  it('at most MAX_BLOCKED_THREADS threads of a program that started many', async () => {
    const many = py`
      import threading, time
      for _ in range(50):
          threading.Thread(target=time.sleep, args=(60,)).start()
      time.sleep(60)
    `;
    const run = await runFiles({ 'many.py': many }, { limits });
    const blocked = blockedOf(run, 'many.py')!;
    expect(blocked).toHaveLength(MAX_BLOCKED_THREADS);
    expect(new Set(blocked.map((thread) => thread.call))).toEqual(new Set(['sleep']));
    expectNothingLeft(run.info);
  });

  it('nothing for a run that ends on its own', async () => {
    const run = await runFiles({ 'hi.py': 'print("hi")\n' }, { limits });
    expect(run.record.reason).toBe('completed');
    expect(run.record.processes['hi.py']!.blocked).toBeUndefined();
    expect(eventOf(run, 'process-exited', 'hi.py')).not.toHaveProperty('blocked');
  });
});
