import { describe, expect, it } from 'vitest';
import { formatOutput, TerminalFeed } from './terminal-feed.ts';

describe('TerminalFeed', () => {
  it('replays output written before the terminal subscribed, then streams the rest', () => {
    const feed = new TerminalFeed();
    feed.write('client.py', 'one\n');
    const seen: string[] = [];
    const stop = feed.subscribe('client.py', (text) => seen.push(text));
    feed.write('client.py', 'two\n');
    feed.write('peer:echo', 'other\n');
    stop();
    feed.write('client.py', 'three\n');
    expect(seen).toEqual(['one\n', 'two\n']);
  });

  it('forgets the previous run on reset', () => {
    const feed = new TerminalFeed();
    feed.write('client.py', 'old\n');
    feed.reset();
    const seen: string[] = [];
    feed.subscribe('client.py', (text) => seen.push(text));
    expect(seen).toEqual([]);
  });
});

describe('formatOutput', () => {
  it('colours stderr red and leaves stdout alone', () => {
    expect(formatOutput('stdout', 'ok')).toBe('ok');
    expect(formatOutput('stderr', 'bad')).toBe('\x1b[31mbad\x1b[0m');
  });
});
