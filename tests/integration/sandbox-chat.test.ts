/**
 * The chat-bots peer against real Python chat servers in the real sandbox: an asyncio server
 * with a queue per client delivers every line at once while the slow bot reads nothing; a
 * threaded one that broadcasts with sendall() to each client in turn is stuck on the slow bot
 * (its receive window is full), so the others get nothing; and a sequential one serves nobody.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { expectNothingLeft, outputOf, py, runFiles, type TestRun } from './sandbox-harness.ts';

const BOTS = 'peer:bots';

/** `server.py`, then the bots with these options. */
function chatLesson(options: Record<string, unknown> = {}): LessonDefinition {
  return {
    processes: [{ file: 'server.py' }, { peer: 'chat-bots', name: 'bots', port: 8080, options }],
    limits: { wallSeconds: 15 },
  };
}

/** The bots' reports with `event`. */
function reports(run: TestRun, event: string) {
  return run.record.processes[BOTS]!.reports.filter((report) => report.event === event);
}

/** The bots' final verdict. */
function done(run: TestRun) {
  const found = reports(run, 'done');
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The lesson's own solution: asyncio, a queue and a writer task per client. */
const QUEUED = readFileSync('content/17-chat/solution/server.py', 'utf8');

/** A thread per client; a broadcast sends to every client in turn, blocking on each. */
const BLOCKING = py`
  import socket, threading

  clients = {}
  lock = threading.Lock()

  def broadcast(text, sender=None):
      with lock:
          for conn in list(clients):
              if conn is not sender:
                  conn.sendall((text + "\\n").encode())

  def serve(conn):
      with conn, conn.makefile("rb") as lines:
          nick = lines.readline()[5:].decode().strip()
          with lock:
              clients[conn] = nick
          for line in lines:
              broadcast(f"{nick}: {line.decode().rstrip()}", conn)

  with socket.create_server(("127.0.0.1", 8080)) as server:
      while True:
          conn, _ = server.accept()
          threading.Thread(target=serve, args=(conn,), daemon=True).start()
`;

/** One client at a time: it waits for the slow bot's first message forever. */
const SEQUENTIAL = py`
  import socket

  with socket.create_server(("127.0.0.1", 8080)) as server:
      while True:
          conn, _ = server.accept()
          with conn, conn.makefile("rb") as lines:
              for line in lines:
                  conn.sendall(line)
`;

describe('chat-bots against real servers', () => {
  it('a queue per client: every line reaches every other bot at once, the slow one stuck', async () => {
    const run = await runFiles({ 'server.py': QUEUED }, { lesson: chatLesson(), seed: 5 });
    expect(done(run)).toMatchObject({
      ok: true,
      bots: 4,
      allDelivered: true,
      expected: 6,
      deliveredWhileSlow: 6,
      floodComplete: true,
      echoed: 0,
      leavesNoticed: 6,
      leavesExpected: 6,
    });
    expect(Number(done(run).maxLatencyMs)).toBeLessThan(500);
    expect(reports(run, 'left').map((r) => r.how)).toEqual(['reset', 'reset', 'close', 'close']);
    expect(reports(run, 'received')[0]!.line).toMatch(/^[a-z]+\d+: [a-z]+ /);
    const log = outputOf(run, BOTS);
    expect(log).toMatch(/bots: \S+ connected and sent NICK \S+, and from now on reads nothing/);
    expect(log).toMatch(/6 of 6 lines delivered, the slowest after \d+ ms, 6 while the slow bot/);
    expect(run.record.processes[BOTS]!.exitCode).toBe(0);
    expectNothingLeft(run.info);
  });

  it('sendall() to each client in turn: stuck on the full window, the others get nothing', async () => {
    const options = { deliverTimeoutMs: 1000, leaveTimeoutMs: 500 };
    const lesson = chatLesson(options);
    const run = await runFiles({ 'server.py': BLOCKING }, { lesson, lang: 'zh' });
    expect(done(run)).toMatchObject({
      ok: false,
      allDelivered: false,
      deliveredWhileSlow: 0,
      floodComplete: false,
    });
    expect(reports(run, 'missing').length).toBeGreaterThan(0);
    expect(outputOf(run, BOTS)).toMatch(/服务器似乎卡在给那个慢的机器人写数据上/);
    expect(run.record.processes[BOTS]!.exitCode).toBe(1);
    expectNothingLeft(run.info);
  });

  it('a sequential server: nothing reaches anybody', async () => {
    const lesson = chatLesson({ deliverTimeoutMs: 500, leaveTimeoutMs: 300 });
    const run = await runFiles({ 'server.py': SEQUENTIAL }, { lesson });
    expect(done(run)).toMatchObject({ ok: false, delivered: 0, allDelivered: false });
    expect(reports(run, 'flood-received').every((r) => r.lines === 0)).toBe(true);
    expectNothingLeft(run.info);
  });
});
