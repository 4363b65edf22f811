import { describe, expect, it } from 'vitest';
import { lastException, linksInLine, stripAnsi, tracebackLocations } from './traceback.ts';

const TRACEBACK = [
  '\x1b[31mTraceback (most recent call last):',
  '  File "/sandbox/client.py", line 12, in <module>',
  '    main()',
  '  File "/sandbox/client.py", line 7, in main',
  '    sock.connect(("127.0.0.1", 8080))',
  '  File "/usr/lib/python3.12/socket.py", line 852, in create_connection',
  '    raise exceptions[0]',
  'ConnectionRefusedError: [Errno 111] Connection refused\x1b[0m',
  '',
].join('\n');

describe('linksInLine', () => {
  it("finds a frame in a learner's file with its position in the line", () => {
    const line = '  File "/sandbox/client.py", line 12, in <module>';
    expect(linksInLine(line, ['client.py', 'server.py'])).toEqual([
      { file: 'client.py', line: 12, start: 2, end: 36 },
    ]);
    expect(line.slice(2, 36)).toBe('File "/sandbox/client.py", line 12');
  });

  it("ignores frames in Python's own modules and in files the lesson does not have", () => {
    expect(linksInLine('  File "/usr/lib/python3.12/socket.py", line 852', ['client.py'])).toEqual(
      [],
    );
    expect(linksInLine('  File "other.py", line 3', ['client.py'])).toEqual([]);
  });

  it('accepts a bare file name without a directory', () => {
    expect(linksInLine('File "server.py", line 4, in <module>', ['server.py'])).toMatchObject([
      { file: 'server.py', line: 4 },
    ]);
  });
});

describe('tracebackLocations', () => {
  it("lists the learner's frames in order, without colour codes or repeats", () => {
    const twice = `${TRACEBACK}${TRACEBACK}`;
    expect(tracebackLocations(twice, ['client.py'])).toEqual([
      { file: 'client.py', line: 12 },
      { file: 'client.py', line: 7 },
    ]);
  });
});

describe('lastException', () => {
  it('is the exception line of the last traceback', () => {
    expect(lastException(TRACEBACK)).toBe('ConnectionRefusedError: [Errno 111] Connection refused');
  });

  it('reads Python 3.11+ carets and chained exceptions', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "/sandbox/server.py", line 3, in <module>',
      '    s.recv(1)',
      '    ^^^^^^^^^',
      'TimeoutError: timed out',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/sandbox/server.py", line 5, in <module>',
      '    s.bind(("", 8080))',
      'OSError: [Errno 98] Address already in use',
    ].join('\n');
    expect(lastException(text)).toBe('OSError: [Errno 98] Address already in use');
  });

  it('is undefined without a traceback', () => {
    expect(lastException('hello\nError: not a traceback\n')).toBeUndefined();
  });

  it('names exceptions without a message too', () => {
    expect(
      lastException(
        'Traceback (most recent call last):\n  File "a.py", line 1\nKeyboardInterrupt\n',
      ),
    ).toBe('KeyboardInterrupt');
  });
});

describe('stripAnsi', () => {
  it('removes colour sequences', () => {
    expect(stripAnsi('\x1b[31mred\x1b[0m')).toBe('red');
  });
});
