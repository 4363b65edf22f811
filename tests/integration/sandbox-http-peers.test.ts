/**
 * The HTTP peers in real runs: http-server answering a learner's clients (correct ones, in every
 * framing, and hand-written ones that break the rules), http-client reading a learner's
 * hand-written servers (a correct one, one whose body never ends, one whose Content-Length lies).
 */
import { describe, expect, it } from 'vitest';
import type { LessonDefinition, RunRecord } from '../../lib/lessons/define.ts';
import { expectNothingLeft, outputOf, py, runFiles } from './sandbox-harness.ts';

function reports(run: { record: RunRecord }, name: string, event: string) {
  return run.record.processes[name]!.reports.filter((report) => report.event === event);
}

describe('http-server', () => {
  it('answers a correct GET with Content-Length, chunked and close-delimited bodies', async () => {
    const route = [{ path: '/hello', body: 'hi {word}\n' }];
    const lesson: LessonDefinition = {
      processes: [
        { peer: 'http-server', name: 'length', port: 8081, options: { routes: route } },
        {
          peer: 'http-server',
          name: 'chunked',
          port: 8082,
          options: { routes: route, framing: 'chunked' },
        },
        {
          peer: 'http-server',
          name: 'close',
          port: 8083,
          options: { routes: route, framing: 'close' },
        },
        { file: 'client.py' },
      ],
    };
    const client = py`
      import http.client
      for port in (8081, 8082, 8083):
          conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
          conn.request("GET", "/hello")
          response = conn.getresponse()
          print(response.status, response.read().decode().strip())
          conn.close()
    `;
    const run = await runFiles({ 'client.py': client }, { lesson, seed: 3 });
    const lines = outputOf(run, 'client.py').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const [at, name] of ['length', 'chunked', 'close'].entries()) {
      const response = reports(run, `peer:${name}`, 'response')[0]!;
      expect(response).toMatchObject({
        status: 200,
        framing: name === 'length' ? 'content-length' : name,
      });
      expect(lines[at]).toBe(`200 ${String(response.body).trim()}`);
      expect(reports(run, `peer:${name}`, 'request')[0]).toMatchObject({
        method: 'GET',
        path: '/hello',
        httpVersion: '1.1',
      });
    }
    expect(outputOf(run, 'peer:chunked')).toContain('http-server: request "GET /hello HTTP/1.1"');
    expectNothingLeft(run.info);
  });

  it('explains a request with bare "\\n" line endings and one without Host', async () => {
    const lesson: LessonDefinition = {
      processes: [{ peer: 'http-server', name: 'web', port: 8080 }, { file: 'client.py' }],
    };
    const client = py`
      import socket
      for request in (b"GET / HTTP/1.1\\nHost: 127.0.0.1\\n\\n", b"GET / HTTP/1.1\\r\\n\\r\\n"):
          with socket.create_connection(("127.0.0.1", 8080)) as sock:
              sock.sendall(request)
              print(sock.makefile("rb").readline().decode().strip())
    `;
    const run = await runFiles({ 'client.py': client }, { lesson });
    expect(outputOf(run, 'client.py')).toBe('HTTP/1.1 400 Bad Request\nHTTP/1.1 400 Bad Request\n');
    expect(reports(run, 'peer:web', 'bad-request')).toMatchObject([
      { reason: 'bare-lf', line: 1, raw: 'GET / HTTP/1.1\nHost: 127.0.0.1\n\n' },
      { reason: 'missing-host', raw: 'GET / HTTP/1.1\r\n\r\n' },
    ]);
    const log = outputOf(run, 'peer:web');
    expect(log).toContain(
      'http-server: line 1 "GET / HTTP/1.1" ends with "\\n" alone: every line of an HTTP head must end with "\\r\\n"',
    );
    expect(log).toContain('http-server: an HTTP/1.1 request needs a Host header');
    expectNothingLeft(run.info);
  });
});

/** A hand-written server answering one request with `reply` (Python bytes literal), then `after`. */
function server(reply: string, after: string): string {
  return py`
    import socket, time
    with socket.create_server(("127.0.0.1", 8080)) as server:
        conn, _ = server.accept()
        with conn:
            data = b""
            while b"\\r\\n\\r\\n" not in data:
                data += conn.recv(1024)
            print(data.split(b"\\r\\n")[0].decode())
            conn.sendall(${reply})
            ${after}
  `;
}

describe('http-client', () => {
  const lesson = (options: object): LessonDefinition => ({
    processes: [
      { file: 'server.py' },
      { peer: 'http-client', name: 'client', port: 8080, options },
    ],
  });

  it('reads a correct response from a hand-written server', async () => {
    const code = server('b"HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello"', 'pass');
    const run = await runFiles(
      { 'server.py': code },
      { lesson: lesson({ requests: [{ path: '/x' }] }) },
    );
    expect(outputOf(run, 'server.py')).toBe('GET /x HTTP/1.1\n');
    expect(run.record.processes['peer:client']!.exitCode).toBe(0);
    expect(reports(run, 'peer:client', 'response')).toMatchObject([
      { status: 200, body: 'hello', framing: 'content-length' },
    ]);
    expect(outputOf(run, 'peer:client')).toContain(
      'client: received HTTP/1.1 200 OK (Content-Length, 5-byte body): "hello"',
    );
    expectNothingLeft(run.info);
  });

  it('explains the timeout of a body without Content-Length on a kept-alive connection', async () => {
    const code = server('b"HTTP/1.1 200 OK\\r\\n\\r\\nhello"', 'time.sleep(2)');
    const run = await runFiles({ 'server.py': code }, { lesson: lesson({ timeoutMs: 800 }) });
    expect(run.record.processes['peer:client']!.exitCode).toBe(1);
    expect(reports(run, 'peer:client', 'error')).toMatchObject([
      { reason: 'timeout', phase: 'body', framing: 'close', bytes: 5 },
    ]);
    expect(outputOf(run, 'peer:client')).toContain(
      'the response has neither Content-Length nor Transfer-Encoding: chunked',
    );
    expectNothingLeft(run.info);
  });

  it('tells a Content-Length larger than the body the server sent before closing', async () => {
    const code = server('b"HTTP/1.1 200 OK\\r\\nContent-Length: 12\\r\\n\\r\\nhello"', 'pass');
    const run = await runFiles({ 'server.py': code }, { lesson: lesson({}) });
    expect(run.record.processes['peer:client']!.exitCode).toBe(1);
    expect(reports(run, 'peer:client', 'error')).toMatchObject([
      { reason: 'closed', bytes: 5, announced: 12 },
    ]);
    expect(outputOf(run, 'peer:client')).toContain(
      'the server closed the connection after 5 of the 12 body bytes its Content-Length announced',
    );
    expectNothingLeft(run.info);
  });
});
