import { describe, expect, it } from 'vitest';
import type { Packet } from '../packets/packet.ts';
import {
  explainSocketError,
  lastCallAddress,
  listenerOf,
  refusedAddress,
} from './socket-error-context.ts';

const tcp = (n: number, sport: number, dport: number, flags: Packet['flags']): Packet => ({
  n,
  t: n,
  proto: 'tcp',
  src: '127.0.0.1',
  dst: '127.0.0.1',
  sport,
  dport,
  len: 0,
  flags,
});

describe('refusedAddress', () => {
  it('is the address of the last SYN a RST answered', () => {
    const packets = [
      tcp(1, 40000, 9000, ['SYN']),
      tcp(2, 9000, 40000, ['SYN', 'ACK']),
      tcp(3, 40002, 8080, ['SYN']),
      tcp(4, 8080, 40002, ['RST', 'ACK']),
    ];
    expect(refusedAddress(packets)).toEqual({ host: '127.0.0.1', port: 8080 });
  });

  it('is undefined when no RST answered a SYN (a reset mid-connection is not a refusal)', () => {
    const packets = [
      tcp(1, 40000, 9000, ['SYN']),
      tcp(2, 9000, 40000, ['SYN', 'ACK']),
      tcp(3, 40000, 9000, ['ACK']),
      tcp(4, 9000, 40000, ['RST']),
    ];
    expect(refusedAddress(packets)).toBeUndefined();
    expect(refusedAddress(packets.slice(2))).toBeUndefined();
    expect(refusedAddress([])).toBeUndefined();
  });
});

describe('lastCallAddress', () => {
  it('reads literals, constants and localhost, and takes the last call', () => {
    const code = [
      'HOST = "localhost"',
      'PORT = 5050',
      'a.connect(("127.0.0.1", 1234))',
      '# a.connect(("127.0.0.1", 1))',
      'b.connect((HOST, PORT))',
    ].join('\n');
    expect(lastCallAddress(code, 'connect')).toEqual({ host: '127.0.0.1', port: 5050 });
  });

  it('reads create_connection, sendto and bind', () => {
    expect(lastCallAddress('socket.create_connection(("127.0.0.1", 7))', 'connect')).toEqual({
      host: '127.0.0.1',
      port: 7,
    });
    expect(lastCallAddress('s.sendto(b"hi", ("127.0.0.1", 9999))', 'connect')?.port).toBe(9999);
    expect(lastCallAddress('s.bind(("", 8080))', 'bind')).toEqual({ host: undefined, port: 8080 });
  });

  it('is undefined when the port cannot be read', () => {
    expect(lastCallAddress('s.connect((host, int(sys.argv[1])))', 'connect')).toBeUndefined();
    expect(lastCallAddress('print(1)', 'bind')).toBeUndefined();
  });
});

describe('explainSocketError', () => {
  const files = [
    { name: 'client.py', content: 's.connect(("127.0.0.1", 8080))\n' },
    { name: 'server.py', content: 'PORT = 8080\ns.bind(("127.0.0.1", PORT))\n' },
  ];

  it('names the refused port from the capture and the file meant to listen there', () => {
    const packets = [tcp(1, 40000, 8080, ['SYN']), tcp(2, 8080, 40000, ['RST', 'ACK'])];
    const explained = explainSocketError('ConnectionRefusedError: [Errno 111] Connection refused', {
      file: 'client.py',
      files,
      packets,
    });
    expect(explained).toEqual({
      kind: 'refused',
      params: { host: '127.0.0.1', port: 8080, listener: 'server.py' },
    });
  });

  it("falls back to the code's last connect() without a capture", () => {
    const explained = explainSocketError('ConnectionRefusedError: [Errno 111] Connection refused', {
      file: 'client.py',
      files,
      packets: [],
    });
    expect(explained?.params.port).toBe(8080);
  });

  it("takes a taken port from the file's own bind()", () => {
    const explained = explainSocketError('OSError: [Errno 98] Address already in use', {
      file: 'server.py',
      files,
      packets: [],
    });
    expect(explained).toEqual({
      kind: 'address-in-use',
      params: { host: '127.0.0.1', port: 8080 },
    });
  });

  it('is undefined for an exception that is not a common socket error', () => {
    expect(
      explainSocketError('ValueError: bad', { file: 'client.py', files, packets: [] }),
    ).toBeUndefined();
  });

  it('knows no listener when no other file binds the port', () => {
    expect(listenerOf(files, 9999, 'client.py')).toBeUndefined();
    expect(listenerOf(files, 8080, 'server.py')).toBeUndefined();
  });
});
