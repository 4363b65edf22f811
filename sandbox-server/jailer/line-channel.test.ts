import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { socketPair } from '../supervisor/socket-pair.ts';
import { LineChannel } from './line-channel.ts';

const open: Socket[] = [];
afterEach(() => open.splice(0).forEach((socket) => socket.destroy()));

async function channel(maxLineBytes = 1024, maxMessageChars = 4096) {
  const [mine, theirs] = await socketPair();
  open.push(mine, theirs);
  theirs.resume();
  const heard = { values: [] as unknown[], invalid: [] as string[], closed: false };
  const waiters: Array<() => void> = [];
  const wake = (): void => waiters.splice(0).forEach((resolve) => resolve());
  /** Resolves once `done()` holds, checked after each thing the channel hears. */
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const line = new LineChannel(
    mine,
    { maxLineBytes, maxMessageChars },
    {
      message: (value) => (heard.values.push(value), wake()),
      invalid: (why) => (heard.invalid.push(why), wake()),
      closed: () => ((heard.closed = true), wake()),
    },
  );
  return { line, theirs, heard, until };
}

describe('LineChannel', () => {
  it('parses values split across chunks and several in one chunk', async () => {
    const { theirs, heard, until } = await channel();
    theirs.write('{"a":');
    theirs.write('1}\n{"b":2}\n{"c"');
    await until(() => heard.values.length === 2);
    theirs.write(':3}\n');
    await until(() => heard.values.length === 3);
    expect(heard.values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('reports a line that is not JSON and keeps going', async () => {
    const { theirs, heard, until } = await channel();
    theirs.write('nonsense\n[1]\n');
    await until(() => heard.values.length === 1);
    expect(heard.invalid[0]).toMatch(/not JSON: nonsense/);
    expect(heard.values).toEqual([[1]]);
  });

  it('closes the channel on a whole line longer than the limit', async () => {
    const { theirs, heard, until } = await channel(16);
    theirs.write(`"${'x'.repeat(64)}"\n[1]\n`);
    await until(() => heard.closed);
    expect(heard.invalid[0]).toMatch(/longer than 16 bytes/);
    expect(heard.values).toEqual([]);
  });

  it('closes the channel on an unended line longer than the limit', async () => {
    const { theirs, heard, until } = await channel(16);
    theirs.write('"' + 'x'.repeat(64));
    await until(() => heard.closed);
    expect(heard.invalid[0]).toMatch(/longer than 16 bytes/);
    expect(heard.values).toEqual([]);
  });

  it('sends a value longer than a line in pieces, put back together on arrival', async () => {
    const [a, b] = await socketPair();
    open.push(a, b);
    const limits = { maxLineBytes: 256, maxMessageChars: 100_000 };
    const heard: unknown[] = [];
    const lines: string[] = [];
    b.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const receiver = new LineChannel(b, limits, {
      message: (value) => heard.push(value),
      invalid: (why) => heard.push(`invalid: ${why}`),
      closed: () => {},
    });
    const sender = new LineChannel(a, limits, { message() {}, invalid() {}, closed() {} });
    // Control characters (six bytes escaped), a quote, and emoji whose surrogate pairs get cut.
    const value = { type: 'record', text: '\u0001"😀'.repeat(500), n: 7 };
    sender.send(value);
    sender.send({ type: 'after' });
    await expect.poll(() => heard.length).toBe(2);
    expect(heard).toEqual([value, { type: 'after' }]);
    expect(receiver.open).toBe(true);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThan(256);
  });

  it('closes the channel on pieces adding up to more than the message limit', async () => {
    const { theirs, heard, until } = await channel(1024, 100);
    const piece = (text: string, last: boolean) =>
      `${JSON.stringify({ $piece: text, $last: last })}\n`;
    theirs.write(piece('"' + 'x'.repeat(60), false) + piece('x'.repeat(60), false));
    await until(() => heard.closed);
    expect(heard.invalid[0]).toMatch(/longer than 100 characters/);
    expect(heard.values).toEqual([]);
  });

  it('sends one JSON line per value and drops sends after close', async () => {
    const { line, theirs } = await channel();
    let got = '';
    theirs.on('data', (chunk: Buffer) => (got += chunk.toString()));
    line.send({ type: 'x', n: 1 });
    await new Promise<void>((resolve) => theirs.once('data', () => resolve()));
    expect(got).toBe('{"type":"x","n":1}\n');
    line.close();
    expect(line.open).toBe(false);
    line.send({ lost: true });
  });
});
