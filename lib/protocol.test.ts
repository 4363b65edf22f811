import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Packet } from './packets/packet.ts';
import { parsePcap } from './packets/parse-pcap.ts';
import {
  CLOSE_CODES,
  FAULT_ACTIONS,
  PROTOCOL_VERSION,
  PacketEvent,
  WIRE_LIMITS,
  noticeForClose,
  captureDownloadName,
  captureDownloadPath,
  parseClientMessage,
  parseServerMessage,
  type ClientMessage,
} from './protocol.ts';

const runId = 'abcDEF12_-';
const file = { name: 'client.py', content: 'print("hi")\n' };

/** Parses a value as the server does; fails the test with the error text when it is refused. */
function accepted(value: unknown): ClientMessage {
  const result = parseClientMessage(JSON.stringify(value));
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.message;
}

/** The error text for a value the server must refuse. */
function refused(raw: unknown): string {
  return refusal(raw).error;
}

/** The error text and the notice for a value the server must refuse. */
function refusal(raw: unknown) {
  const result = parseClientMessage(typeof raw === 'string' ? raw : JSON.stringify(raw));
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.message)}`);
  return result;
}

describe('client messages that parse', () => {
  it('accepts a run, defaulting the language to English', () => {
    expect(accepted({ type: 'run', runId, files: [file] })).toEqual({
      type: 'run',
      runId,
      lang: 'en',
      files: [file],
    });
  });

  it('accepts a run that repeats a seed, from 0 to 2^32 - 1', () => {
    for (const seed of [0, 42, 0xffffffff])
      expect(accepted({ type: 'run', runId, files: [file], seed })).toMatchObject({ seed });
  });

  it('refuses a seed that is not a 32-bit unsigned integer', () => {
    for (const seed of [-1, 1.5, 2 ** 32, '42', null])
      expect(refused({ type: 'run', runId, files: [file], seed })).toMatch(/^seed: /);
  });

  it('accepts a lesson run in Chinese', () => {
    expect(
      accepted({ type: 'run', runId, lesson: 'tcp-client', lang: 'zh', files: [file] }),
    ).toMatchObject({
      lesson: 'tcp-client',
      lang: 'zh',
    });
  });

  it('accepts stdin, eof, interrupt and stop', () => {
    for (const message of [
      { type: 'stdin', runId, process: 'client.py', data: 'hello\n' },
      { type: 'eof', runId, process: 'client.py' },
      { type: 'interrupt', runId, process: 'peer:echo' },
      { type: 'stop', runId },
    ]) {
      expect(accepted(message)).toEqual(message);
    }
  });

  it('accepts files and stdin exactly at their limits', () => {
    const big = { name: 'big.py', content: 'x'.repeat(WIRE_LIMITS.maxFileBytes) };
    const files = Array.from({ length: WIRE_LIMITS.maxFiles }, (_, i) => ({
      name: `f${i}.py`,
      content: '',
    }));
    expect(accepted({ type: 'run', runId, files: [big] }).type).toBe('run');
    expect(accepted({ type: 'run', runId, files }).type).toBe('run');
    expect(
      accepted({
        type: 'stdin',
        runId,
        process: 'a.py',
        data: 'x'.repeat(WIRE_LIMITS.maxStdinBytes),
      }).type,
    ).toBe('stdin');
  });
});

describe('client messages that are refused with a readable reason', () => {
  it('refuses text that is not JSON', () => {
    expect(refusal('{"type": "run"')).toMatchObject({
      error: 'message is not valid JSON',
      notice: { code: 'bad-message', params: { detail: 'message is not valid JSON' } },
    });
  });

  it('refuses JSON that is not an object', () => {
    expect(refused('42')).toMatch(/expected object|Invalid input/i);
    expect(refused('null')).toBeTruthy();
  });

  it('refuses an unknown type', () => {
    expect(refused({ type: 'exec', runId, command: 'rm -rf /' })).toMatch(/type/);
  });

  it('refuses a bad runId', () => {
    expect(refused({ type: 'stop', runId: 'short' })).toBe(
      'runId: runId must be 8–64 characters of A–Z, a–z, 0–9, _ or -',
    );
    expect(refused({ type: 'stop', runId: '../../../etc' })).toMatch(/^runId:/);
    expect(refused({ type: 'stop', runId: 'a'.repeat(65) })).toMatch(/^runId:/);
  });

  it('refuses an oversized file, naming the file', () => {
    const big = { name: 'big.py', content: 'x'.repeat(WIRE_LIMITS.maxFileBytes + 1) };
    expect(refusal({ type: 'run', runId, files: [big] })).toEqual({
      ok: false,
      error: 'files.0.content: a file may hold at most 64 KiB',
      notice: { code: 'file-too-large', params: { file: 'big.py', maxBytes: 64 * 1024 } },
    });
  });

  it('refuses too many files, and none', () => {
    const files = Array.from({ length: WIRE_LIMITS.maxFiles + 1 }, (_, i) => ({
      name: `f${i}.py`,
      content: '',
    }));
    expect(refused({ type: 'run', runId, files })).toMatch(/^files:/);
    expect(refused({ type: 'run', runId, files: [] })).toMatch(/^files:/);
  });

  it.each(['../evil.py', 'dir/a.py', 'a.txt', '.hidden.py', 'a b.py', `${'a'.repeat(50)}.py`, ''])(
    'refuses the file name %j',
    (name) => {
      expect(refused({ type: 'run', runId, files: [{ name, content: '' }] })).toMatch(
        /^files\.0\.name: file names look like client\.py/,
      );
    },
  );

  it('refuses a bad lesson slug and an unknown language', () => {
    expect(refused({ type: 'run', runId, lesson: '../etc', files: [file] })).toMatch(/^lesson:/);
    expect(refused({ type: 'run', runId, lang: 'fr', files: [file] })).toMatch(/^lang:/);
  });

  it('refuses oversized stdin and wrong field types', () => {
    const data = 'x'.repeat(WIRE_LIMITS.maxStdinBytes + 1);
    expect(refused({ type: 'stdin', runId, process: 'a.py', data })).toMatch(/^data:/);
    expect(refused({ type: 'stdin', runId, process: 'a.py', data: 42 })).toMatch(/^data:/);
    expect(refused({ type: 'eof', runId, process: '' })).toMatch(/^process:/);
  });

  it('keeps the reason short when many fields are wrong', () => {
    const error = refused({ type: 'run', runId: 1, lang: 2, lesson: 3, files: 4 });
    expect(error.split('; ').length).toBeLessThanOrEqual(3);
  });

  it('passes the reason on as the detail of a bad-message notice', () => {
    const { error, notice } = refusal({ type: 'stop', runId: 'short' });
    expect(notice).toEqual({ code: 'bad-message', params: { detail: error } });
  });
});

describe('server messages', () => {
  it('parses a valid message and drops an invalid one', () => {
    const output = { type: 'output', runId, process: 'client.py', stream: 'stdout', data: 'hi' };
    expect(parseServerMessage(JSON.stringify(output))).toEqual(output);
    expect(parseServerMessage(JSON.stringify({ ...output, stream: 'stdin' }))).toBeNull();
    expect(parseServerMessage('not json')).toBeNull();
  });
});

describe('capture downloads', () => {
  const ready = {
    type: 'capture-ready',
    runId,
    token: 'Zm9vYmFyYmF6cXV4cXV1eA',
    packets: 13,
    bytes: 1234,
    truncated: false,
    expiresInSeconds: 600,
  };

  it('accepts capture-ready and refuses a token that could be more than an opaque word', () => {
    expect(parseServerMessage(JSON.stringify(ready))).toEqual(ready);
    for (const token of ['short', 'x'.repeat(65), `${'a'.repeat(21)}/`, `${'a'.repeat(21)}&`])
      expect(parseServerMessage(JSON.stringify({ ...ready, token }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ ...ready, packets: 0 }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ ...ready, bytes: -1 }))).toBeNull();
  });

  it('names the download path and the saved file after the run and lesson', () => {
    expect(captureDownloadPath(runId, ready.token)).toBe(
      `/capture/${runId}.pcap?token=Zm9vYmFyYmF6cXV4cXV1eA`,
    );
    expect(captureDownloadName(runId, 'tcp-client')).toBe(`handshake-tcp-client-${runId}.pcap`);
    expect(captureDownloadName(runId)).toBe(`handshake-run-${runId}.pcap`);
    expect(captureDownloadName('a"b\r\nc', '../x')).toBe('handshake-___x-a_b__c.pcap');
  });
});

describe('packet events', () => {
  const fixture = (name: string): Packet[] =>
    parsePcap(new Uint8Array(readFileSync(new URL(`./packets/fixtures/${name}`, import.meta.url))))
      .packets;

  // Compile-time: every Packet the parser makes fits the event (npm run typecheck proves it).
  const asEvent = (packet: Packet): z.input<typeof PacketEvent> => ({
    type: 'packet',
    runId,
    ...packet,
  });

  it('accepts every packet the parser makes from the recorded captures, unchanged', () => {
    for (const name of ['tcp-session.pcap', 'tcp-refused.pcap', 'udp.pcap', 'ipv6.pcap']) {
      for (const packet of fixture(name)) {
        const event = asEvent(packet);
        expect(parseServerMessage(JSON.stringify(event))).toEqual(event);
      }
    }
  });

  it('accepts owners on both endpoints', () => {
    const event = {
      ...asEvent(fixture('tcp-session.pcap')[0]!),
      srcOwner: 'client.py',
      dstOwner: 'peer:echo',
    };
    expect(parseServerMessage(JSON.stringify(event))).toEqual(event);
  });

  it('stays small: an ACK under 300 bytes of JSON, a fully escaped preview under 700', () => {
    const size = (packet: Packet): number =>
      JSON.stringify({ ...asEvent(packet), srcOwner: 'client.py', dstOwner: 'server.py' }).length;
    const packets = fixture('tcp-session.pcap');
    expect(size(packets[4]!)).toBeLessThan(300);
    expect(size({ ...packets[7]!, preview: '\\xff'.repeat(64) })).toBeLessThan(700);
    expect(size(packets[7]!)).toBeLessThan(400);
  });

  it('refuses impossible fields', () => {
    const base = asEvent(fixture('tcp-session.pcap')[3]!);
    for (const change of [
      { proto: 'sctp' },
      { sport: 70000 },
      { flags: ['SYN', 'BOGUS'] },
      { seq: -1 },
      { seq: 2 ** 32 },
      { srcState: 'LISTENING' },
      { phase: 'chatting' },
      { retrans: false },
      { n: 0 },
      { preview: 'x'.repeat(257) },
    ]) {
      expect(parseServerMessage(JSON.stringify({ ...base, ...change }))).toBeNull();
    }
  });

  it('accepts the capture-truncated notice and refuses an unknown limit', () => {
    const notice = {
      type: 'capture-truncated',
      runId,
      packets: 10000,
      limit: 'packets',
      notice: { code: 'capture-packet-limit', params: { packets: 10000 } },
    };
    expect(parseServerMessage(JSON.stringify(notice))).toEqual(notice);
    expect(parseServerMessage(JSON.stringify({ ...notice, limit: 'time' }))).toBeNull();
  });
});

describe('notices', () => {
  const finished = {
    type: 'run-finished',
    runId,
    reason: 'time-limit',
    notice: { code: 'time-limit', params: { seconds: 10 } },
    durationMs: 10_000,
  };

  it('carry a code and its typed parameters, not a sentence', () => {
    expect(parseServerMessage(JSON.stringify(finished))).toEqual(finished);
    for (const notice of [
      'time limit of 10 s reached',
      { code: 'time-limit', params: { seconds: '10' } },
      { code: 'time-limit', params: {} },
      { code: 'no-such-code', params: {} },
      { code: 'time-limit' },
    ]) {
      expect(
        parseServerMessage(JSON.stringify({ ...finished, notice })),
        JSON.stringify(notice),
      ).toBeNull();
    }
  });

  it('say what a close code means, and nothing for an ordinary close', () => {
    expect(noticeForClose(CLOSE_CODES.originRejected)?.code).toBe('origin-rejected');
    expect(noticeForClose(CLOSE_CODES.tooManyConnections)?.code).toBe('too-many-connections');
    expect(noticeForClose(CLOSE_CODES.serverShuttingDown)?.code).toBe('server-shutting-down');
    expect(noticeForClose(CLOSE_CODES.serverDraining)?.code).toBe('server-draining');
    expect([noticeForClose(1006), noticeForClose(null)]).toEqual([null, null]);
  });

  it('came with protocol 2: a hello of another version is refused', () => {
    const hello = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      limits: { wallSeconds: 10, outputBytes: 1024 },
      maxMessageBytes: 1024,
    };
    expect(PROTOCOL_VERSION).toBe(3);
    expect(parseServerMessage(JSON.stringify(hello))).toEqual(hello);
    expect(parseServerMessage(JSON.stringify({ ...hello, protocol: 1 }))).toBeNull();
  });
});

describe('seeds and faults', () => {
  const started = {
    type: 'run-started',
    runId,
    processes: [{ name: 'peer:relay', kind: 'peer', label: 'peer: relay' }],
    limits: { wallSeconds: 10, outputBytes: 1024 },
    seed: 3948730756,
  };
  const fault = {
    type: 'fault',
    runId,
    process: 'peer:relay',
    t: 12.5,
    proto: 'udp',
    action: 'dropped',
    from: '127.0.0.1:40000',
    to: '127.0.0.1:9000',
    index: 3,
    bytes: 6,
    note: {
      code: 'fault-datagram-dropped',
      params: {
        index: 3,
        from: '127.0.0.1:40000',
        bytes: 6,
        toward: '127.0.0.1:9001',
        back: false,
        queueFull: false,
      },
    },
  };

  it('run-started tells the seed the run uses, and needs it', () => {
    expect(parseServerMessage(JSON.stringify(started))).toEqual(started);
    const { seed: _seed, ...without } = started;
    expect(parseServerMessage(JSON.stringify(without))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ ...started, seed: -1 }))).toBeNull();
  });

  it('accepts a fault event of every action, with a delay when there is one', () => {
    for (const action of FAULT_ACTIONS) {
      const event = { ...fault, action, proto: action === 'split' ? 'tcp' : 'udp' };
      expect(parseServerMessage(JSON.stringify(event))).toEqual(event);
    }
    const delayed = { ...fault, action: 'delayed', delayMs: 120 };
    expect(parseServerMessage(JSON.stringify(delayed))).toEqual(delayed);
  });

  it('refuses impossible fault fields', () => {
    for (const change of [
      { action: 'corrupted' },
      { proto: 'icmp' },
      { from: 'localhost' },
      { to: '127.0.0.1' },
      { index: 0 },
      { bytes: -1 },
      { delayMs: -5 },
      { note: 'dropped datagram #3' },
      { note: { code: 'time-limit', params: { seconds: 10 } } },
      { note: { code: 'fault-datagram-dropped', params: { index: 3 } } },
      { t: -1 },
      { process: '' },
    ]) {
      expect(
        parseServerMessage(JSON.stringify({ ...fault, ...change })),
        JSON.stringify(change),
      ).toBeNull();
    }
  });

  it('accepts the faults-truncated notice', () => {
    const notice = {
      type: 'faults-truncated',
      runId,
      faults: 10000,
      notice: { code: 'faults-truncated', params: { faults: 10000 } },
    };
    expect(parseServerMessage(JSON.stringify(notice))).toEqual(notice);
    expect(parseServerMessage(JSON.stringify({ ...notice, faults: -1 }))).toBeNull();
  });
});
