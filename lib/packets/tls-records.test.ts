import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { describeTls, serverName } from './tls-records.ts';

/** The first bytes a real TLS client sends (its ClientHello), naming `servername`. */
async function clientHello(servername?: string): Promise<Uint8Array> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const first = new Promise<Buffer>((resolve) =>
    server.once('connection', (socket) => socket.once('data', resolve)),
  );
  const client = tls.connect({ port, host: '127.0.0.1', servername, rejectUnauthorized: false });
  client.on('error', () => {});
  const bytes = await first;
  client.destroy();
  server.close();
  return bytes;
}

/** A record of `type` holding `length` bytes (content left zero). */
function record(type: number, length: number): Uint8Array {
  const bytes = new Uint8Array(5 + length);
  bytes.set([type, 3, 3, length >> 8, length & 0xff]);
  return bytes;
}

describe('describeTls', () => {
  it('names a ClientHello and the server name it carries in clear text', async () => {
    const hello = await clientHello('localhost');
    expect(describeTls(hello)).toBe('ClientHello (SNI localhost)');
    expect(serverName(hello.subarray(5))).toBe('localhost');
  });

  it('names a ClientHello without SNI, and one cut before its server name', async () => {
    expect(describeTls(await clientHello())).toBe('ClientHello');
    expect(describeTls((await clientHello('localhost')).subarray(0, 64))).toBe('ClientHello');
  });

  it('groups a train of records, and shows where it goes on', () => {
    const train = Buffer.concat([record(20, 1), record(23, 22), record(23, 22), record(23, 5)]);
    expect(describeTls(train)).toBe('ChangeCipherSpec, Application Data ×3');
    const long = Buffer.concat(Array.from({ length: 12 }, () => record(23, 1)));
    expect(describeTls(long)).toBe('Application Data ×8, …');
  });

  it('names an alert sent in clear text, and not one whose body is encrypted', () => {
    const alert = record(21, 2);
    alert.set([2, 42], 5);
    expect(describeTls(alert)).toBe('Alert (bad_certificate)');
    expect(describeTls(record(21, 19))).toBe('Alert');
  });

  it('names a record whose body lies past the captured bytes', () => {
    expect(describeTls(record(23, 400).subarray(0, 20))).toBe('Application Data');
  });

  it('says nothing of plain text or of bytes that only look like a record', () => {
    expect(describeTls(Buffer.from('LOGIN alice s3cret\n'))).toBeUndefined();
    expect(describeTls(Uint8Array.from([0x16, 3]))).toBeUndefined();
    expect(describeTls(Uint8Array.from([0x16, 2, 0, 0, 1, 1]))).toBeUndefined();
    expect(describeTls(Uint8Array.from([0x17, 3, 3, 0xff, 0xff]))).toBeUndefined();
  });

  it('never throws on arbitrary bytes after a record header', () => {
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(1 + (i % 300)).map(
        () => (seed = (seed * 1103515245 + 12345) >>> 0) & 0xff,
      );
      bytes.set([0x16, 3, 1, 0, 200, 1].slice(0, bytes.length));
      expect(() => describeTls(bytes)).not.toThrow();
    }
  });
});
