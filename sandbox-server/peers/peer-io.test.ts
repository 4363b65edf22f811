import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPeerIo } from './peer-io.ts';

afterEach(() => vi.restoreAllMocks());

/** What the peer wrote on stdout while `act` ran. */
function written(act: () => void): string {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  act();
  vi.restoreAllMocks();
  return chunks.join('');
}

describe('a peer’s terminal lines', () => {
  it('wait for the run’s language, then come in it, in order, with the peer’s name', () => {
    const io = createPeerIo('relay');
    const address = '127.0.0.1:9000';
    expect(
      written(() =>
        io.say({ code: 'peer-relay-bound', params: { address, target: '127.0.0.1:9001' } }),
      ),
    ).toBe('');
    expect(
      written(() => {
        io.say({ code: 'peer-faults-seed', params: { seed: 42 } });
        io.begin('zh');
      }),
    ).toBe(
      'relay: 已绑定到 127.0.0.1:9000（UDP），转发到 127.0.0.1:9001\nrelay: 故障由种子 42 决定\n',
    );
    expect(written(() => io.say({ code: 'peer-listening', params: { address } }))).toBe(
      'relay: 正在 127.0.0.1:9000 上监听\n',
    );
  });

  it('keep the first language they were given', () => {
    const io = createPeerIo('echo');
    io.begin('en');
    expect(
      written(() => {
        io.begin('zh');
        io.say({ code: 'peer-connection-from', params: { from: '127.0.0.1:40000' } });
      }),
    ).toBe('echo: connection from 127.0.0.1:40000\n');
  });
});
