import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, MAX_MESSAGE_BYTES } from './frames.ts';

/** Feeds `bytes` one byte at a time: the worst split TCP can deliver. */
function byteByByte(decoder: FrameDecoder, bytes: Buffer): string[] {
  return [...bytes].flatMap((byte) => decoder.push(Buffer.from([byte])).messages);
}

describe('encodeFrame', () => {
  it('ends a line with "\\n" and prefixes a 4-byte big-endian length of the UTF-8 bytes', () => {
    expect(encodeFrame('hi', 'line')).toEqual(Buffer.from('hi\n'));
    expect(encodeFrame('你好', 'length')).toEqual(
      Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from('你好')]),
    );
    expect(encodeFrame('', 'length')).toEqual(Buffer.from([0, 0, 0, 0]));
  });
});

describe('FrameDecoder', () => {
  it.each(['line', 'length'] as const)('%s: decodes messages split anywhere', (framing) => {
    const texts = ['hello', '你好 maple', '', 'last one'];
    const stream = Buffer.concat(texts.map((text) => encodeFrame(text, framing)));
    expect(byteByByte(new FrameDecoder(framing), stream)).toEqual(texts);
    expect(new FrameDecoder(framing).push(stream).messages).toEqual(texts);
  });

  it('reports bytes left over at the end as an incomplete message', () => {
    const lines = new FrameDecoder('line');
    expect(lines.push(Buffer.from('one\ntw')).messages).toEqual(['one']);
    expect(lines.end()).toEqual({ reason: 'incomplete', bytes: 2 });
    const lengths = new FrameDecoder('length');
    lengths.push(Buffer.from([0, 0, 0, 9, 0x61]));
    expect(lengths.end()).toEqual({ reason: 'incomplete', bytes: 5 });
    expect(new FrameDecoder('length').end()).toBeUndefined();
  });

  it('refuses a length beyond the maximum at once, and takes nothing after an error', () => {
    const decoder = new FrameDecoder('length');
    // A learner sending text where a length belongs: "GET " read as a length.
    const result = decoder.push(Buffer.from('GET / HTTP/1.0\r\n'));
    expect(result).toEqual({
      messages: [],
      error: { reason: 'length-too-long', announced: 0x47455420, max: MAX_MESSAGE_BYTES },
    });
    expect(decoder.push(encodeFrame('ok', 'length'))).toEqual({ messages: [] });
    expect(decoder.end()).toBeUndefined();
  });

  it('refuses a line that grows past the maximum without a "\\n"', () => {
    const decoder = new FrameDecoder('line');
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let error;
    for (let i = 0; i < 20 && !error; i++) error = decoder.push(chunk).error;
    expect(error).toEqual({ reason: 'line-too-long', max: MAX_MESSAGE_BYTES });
  });

  it('refuses a message that is not UTF-8, after the messages before it', () => {
    const decoder = new FrameDecoder('line');
    const bytes = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xe4, 0xbd, 0x0a])]);
    expect(decoder.push(bytes)).toEqual({
      messages: ['ok'],
      error: { reason: 'not-utf8', hex: 'e4 bd' },
    });
  });
});
