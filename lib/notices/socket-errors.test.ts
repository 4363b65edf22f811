import { describe, expect, it } from 'vitest';
import { SOCKET_ERROR_KINDS, socketErrorKind, socketErrorSentence } from './socket-errors.ts';

describe('socketErrorKind', () => {
  it.each([
    ['ConnectionRefusedError: [Errno 111] Connection refused', 'refused'],
    ['OSError: [Errno 98] Address already in use', 'address-in-use'],
    ['ConnectionResetError: [Errno 104] Connection reset by peer', 'reset'],
    ['BrokenPipeError: [Errno 32] Broken pipe', 'broken-pipe'],
    ['TimeoutError: timed out', 'timeout'],
    ['socket.timeout: timed out', 'timeout'],
  ])('%s is %s', (line, kind) => {
    expect(socketErrorKind(line)).toBe(kind);
  });

  it('leaves other exceptions alone', () => {
    expect(socketErrorKind('NameError: name "sock" is not defined')).toBeUndefined();
    expect(socketErrorKind('OSError: [Errno 22] Invalid argument')).toBeUndefined();
  });
});

describe('socketErrorSentence', () => {
  it('names the refused address and the server file that should listen there', () => {
    const params = { host: '127.0.0.1', port: 8080, listener: 'server.py' };
    expect(socketErrorSentence('refused', params, 'en')).toBe(
      'Nothing listens on 127.0.0.1:8080 yet — is server.py running, and did it call listen() before this program connected?',
    );
    expect(socketErrorSentence('refused', params, 'zh')).toContain('127.0.0.1:8080');
    expect(socketErrorSentence('refused', params, 'zh')).toContain('server.py');
  });

  it('names the taken port', () => {
    expect(socketErrorSentence('address-in-use', { port: 5000 }, 'en')).toMatch(/^Port 5000 is/);
    expect(socketErrorSentence('address-in-use', { port: 5000 }, 'zh')).toMatch(/^端口 5000 /);
  });

  it('has a sentence for every kind in both languages, with and without an address', () => {
    for (const kind of SOCKET_ERROR_KINDS) {
      for (const lang of ['en', 'zh'] as const) {
        for (const params of [{}, { host: '127.0.0.1', port: 9 }]) {
          const sentence = socketErrorSentence(kind, params, lang);
          expect(sentence.length).toBeGreaterThan(20);
          expect(sentence).not.toMatch(/undefined/);
        }
      }
    }
  });
});
