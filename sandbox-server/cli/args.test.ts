import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs, parsePeer, parseStdin } from './args.ts';

describe('parseCliArgs', () => {
  it('reads a run with peers, stdin, timeout and json', () => {
    expect(
      parseCliArgs([
        'run',
        '--peer',
        'tcp-echo:9000',
        '--stdin',
        'a.py=hi\\n',
        '--timeout',
        '3',
        '--json',
        'a.py',
        'b.py',
      ]),
    ).toEqual({
      command: 'run',
      files: ['a.py', 'b.py'],
      peers: [{ peer: 'tcp-echo', port: 9000 }],
      stdin: { 'a.py': 'hi\n' },
      timeoutSeconds: 3,
      json: true,
      lang: 'en',
      lesson: undefined,
      solution: false,
      capture: true,
    });
  });

  it('reads --seed, the seed a run repeats its faults with', () => {
    expect(parseCliArgs(['run', '--seed', '42', 'a.py'])).toMatchObject({ seed: 42 });
    expect(parseCliArgs(['run', '--seed', '4294967295', 'a.py'])).toMatchObject({
      seed: 4294967295,
    });
    expect(parseCliArgs(['run', 'a.py'])).toMatchObject({ seed: undefined });
  });

  it('answers --help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['run', '-h'])).toEqual({ command: 'help' });
  });

  it('takes a file to write the capture to', () => {
    expect(parseCliArgs(['run', '--pcap', 'out.pcap', 'a.py'])).toMatchObject({
      pcap: 'out.pcap',
      capture: true,
    });
  });

  it('allows a lesson without files', () => {
    expect(parseCliArgs(['run', '--lesson', 'tcp-server', '--solution'])).toMatchObject({
      lesson: 'tcp-server',
      solution: true,
    });
  });

  it.each([
    [[], /missing command/],
    [['go', 'a.py'], /unknown command "go"/],
    [['run'], /no files to run/],
    [['run', '--bogus', 'a.py'], /Unknown option '--bogus'/],
    [['run', '--timeout', '0', 'a.py'], /--timeout 0: give seconds from 1 to 300/],
    [['run', '--timeout', 'soon', 'a.py'], /--timeout soon/],
    [['run', '--solution', 'a.py'], /--solution needs --lesson/],
    [['run', '--lesson', 'x', '--peer', 'tcp-echo'], /cannot be combined/],
    [['run', '--pcap', 'out.pcap', '--no-capture', 'a.py'], /--pcap needs the capture/],
    [['run', '--pcap', '', 'a.py'], /--pcap needs a file name/],
    [['run', '--seed=-1', 'a.py'], /--seed -1: give a whole number from 0 to 4294967295/],
    [['run', '--seed', '4294967296', 'a.py'], /--seed 4294967296/],
    [['run', '--seed', '1.5', 'a.py'], /--seed 1\.5/],
    [['run', '--seed', 'abc', 'a.py'], /--seed abc/],
  ])('refuses %j with a one-line error', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('parsePeer', () => {
  it('defaults the port to 8080', () => {
    expect(parsePeer('udp-echo')).toEqual({ peer: 'udp-echo', port: 8080 });
  });

  it('reads options after the port: numbers, lists, booleans and text', () => {
    expect(parsePeer('udp-relay:9000,target=9001,loss=0.3,direction=to-target')).toEqual({
      peer: 'udp-relay',
      port: 9000,
      options: { target: 9001, loss: 0.3, direction: 'to-target' },
    });
    expect(parsePeer('tcp-client,lines=a|b')).toEqual({
      peer: 'tcp-client',
      port: 8080,
      options: { lines: ['a', 'b'] },
    });
    expect(parsePeer('tcp-echo,waitForEnd=true')).toEqual({
      peer: 'tcp-echo',
      port: 8080,
      options: { waitForEnd: true },
    });
    expect(() => parsePeer('udp-relay:9000,target')).toThrow(/expected KEY=VALUE, got "target"/);
  });

  it('refuses unknown peers and bad ports', () => {
    expect(() => parsePeer('http')).toThrow(/NAME one of tcp-echo/);
    expect(() => parsePeer('tcp-echo:80')).toThrow(/1024 to 65535/);
    expect(() => parsePeer('tcp-echo:1:2')).toThrow(/NAME\[:PORT\]/);
  });
});

describe('parseStdin', () => {
  it('turns \\n into newlines, keeps \\\\ as one backslash and joins repeats', () => {
    expect(parseStdin(['a.py=x\\ny', 'a.py=\\\\n', 'b.py=k=v'])).toEqual({
      'a.py': 'x\ny\\n',
      'b.py': 'k=v',
    });
  });

  it('needs FILE=TEXT', () => {
    expect(() => parseStdin(['=x'])).toThrow(/FILE=TEXT/);
    expect(() => parseStdin(['a.py'])).toThrow(/FILE=TEXT/);
  });
});

describe('--lang', () => {
  it('chooses the language of the checks and refuses one we do not have', () => {
    expect(parseCliArgs(['run', '--lesson', 'tcp-client', '--lang', 'zh'])).toMatchObject({
      lang: 'zh',
    });
    expect(() => parseCliArgs(['run', '--lesson', 'tcp-client', '--lang', 'fr'])).toThrow(
      /--lang fr: give one of en, zh/,
    );
  });
});
