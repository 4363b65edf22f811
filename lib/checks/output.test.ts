import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures/fixture.ts';
import { lastException, printedLine, stdoutLines } from './output.ts';

describe('stdoutLines', () => {
  it('gives the trimmed stdout lines of a process, empty lines dropped', () => {
    expect(stdoutLines(fixture('echo'), 'client.py')).toEqual(['got: hello 你好', 'done']);
  });

  it('finds a peer by its short name', () => {
    expect(stdoutLines(fixture('echo'), 'echo')[0]).toBe('echo: listening on 127.0.0.1:8080');
  });

  it('is empty for a process the run did not have', () => {
    expect(stdoutLines(fixture('echo'), 'server.py')).toEqual([]);
  });
});

describe('printedLine', () => {
  it('accepts the expected text as a whole line or inside one, trimmed', () => {
    const run = fixture('echo');
    expect(printedLine(run, 'client.py', 'done')).toBe(true);
    expect(printedLine(run, 'client.py', '  hello 你好\n')).toBe(true);
    expect(printedLine(run, 'client.py', 'got: hello 你好')).toBe(true);
  });

  it('rejects text no line contains, and never matches an empty expectation', () => {
    const run = fixture('echo');
    expect(printedLine(run, 'client.py', 'hello 你好 done')).toBe(false);
    expect(printedLine(run, 'client.py', '   ')).toBe(false);
    expect(printedLine(run, 'missing.py', 'done')).toBe(false);
  });
});

describe('lastException', () => {
  it.each([
    ['refused', 'client.py', 'ConnectionRefusedError: [Errno 111] Connection refused'],
    [
      'unicode-traceback',
      'client.py',
      "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe4 in position 0: unexpected end of data",
    ],
    ['address-in-use', 'server.py', 'OSError: [Errno 98] Address already in use'],
    ['timeout', 'client.py', 'TimeoutError: timed out'],
    ['syntax-error', 'client.py', "SyntaxError: '(' was never closed"],
  ] as const)('reads the last traceback line of the %s run', (name, proc, line) => {
    expect(lastException(fixture(name), proc)).toBe(line);
  });

  it('takes the last of chained tracebacks', () => {
    const run = fixture('timeout');
    run.processes['client.py']!.stderr = [
      'Traceback (most recent call last):',
      '  File "/app/client.py", line 5, in <module>',
      '    sock.recv(1024)',
      'TimeoutError: timed out',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/app/client.py", line 7, in <module>',
      '    raise ValueError("no reply")',
      'ValueError: no reply',
      '',
    ].join('\n');
    expect(lastException(run, 'client.py')).toBe('ValueError: no reply');
  });

  it('is undefined without a traceback', () => {
    expect(lastException(fixture('echo'), 'client.py')).toBeUndefined();
    expect(lastException(fixture('recv-hang'), 'client.py')).toBeUndefined();
    const run = fixture('echo');
    run.processes['client.py']!.stderr = 'warning: something odd\n';
    expect(lastException(run, 'client.py')).toBeUndefined();
  });
});
