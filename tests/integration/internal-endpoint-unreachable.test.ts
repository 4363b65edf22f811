/**
 * Learner code cannot reach the app's internal endpoints: a real handler of
 * POST /api/internal/runs listens on the host's loopback (where the app's port is), and a
 * program in a real sandbox tries every way there and to the secret's file. Its network
 * namespace has only its own `lo`, and its file system holds no data dir, so every attempt fails
 * and the endpoint sees no request at all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf, py, runFiles } from './sandbox-harness.ts';

let requests = 0;
const server = createServer((_req, res) => {
  requests += 1;
  res.writeHead(401).end();
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the internal endpoint, seen from learner code', () => {
  it('is unreachable on every address, and the data dir is not there', async () => {
    const port = (server.address() as AddressInfo).port;
    const program = py`
import os, socket
for host in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.create_connection((host, ${port}), timeout=1) as sock:
            sock.sendall(b"POST /api/internal/runs HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0\\r\\n\\r\\n")
            print(host, "REACHED", sock.recv(64))
    except OSError as error:
        print(host, "blocked", type(error).__name__)
for path in (${JSON.stringify(process.cwd())} + "/data/secret", "/data/secret", "/proc/1/environ"):
    try:
        print(path, "READ", len(open(path, "rb").read()))
    except OSError as error:
        print(path, "unreadable", type(error).__name__)
print("HANDSHAKE_SECRET" in os.environ)
`;
    const run = await runFiles({ 'main.py': program });
    const out = outputOf(run, 'main.py');
    expect(out).not.toContain('REACHED');
    expect(out.match(/blocked/g)).toHaveLength(4);
    expect(out).not.toMatch(/secret READ/);
    expect(out.trim().split('\n').at(-1)).toBe('False');
    expect(requests).toBe(0);
  });
});
