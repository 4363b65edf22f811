import { describe, expect, it } from 'vitest';
import { diagnoseHead, framingOf, HeadRecorder, headEnd, MAX_HEAD_BYTES } from './http-head.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('headEnd', () => {
  it('finds the empty line that ends a head, strict or lenient', () => {
    expect(headEnd(bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\nbody'))).toBe(27);
    expect(headEnd(bytes('GET / HTTP/1.1\nHost: x\n\nbody'))).toBe(24);
    expect(headEnd(bytes('GET / HTTP/1.1\r\nHost: x\r\n'))).toBe(-1);
  });
});

describe('HeadRecorder', () => {
  it('takes each head and skips the body the Content-Length announced, across chunks', () => {
    const recorder = new HeadRecorder();
    recorder.push(bytes('POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab'));
    expect(recorder.takeHead(5).toString()).toBe('POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n');
    recorder.push(bytes('cdeGET /next HTTP/1.1\r\n'));
    expect(recorder.current.toString()).toBe('GET /next HTTP/1.1\r\n');
  });

  it('keeps at most MAX_HEAD_BYTES', () => {
    const recorder = new HeadRecorder();
    recorder.push(Buffer.alloc(MAX_HEAD_BYTES + 10, 0x41));
    recorder.push(bytes('more'));
    expect(recorder.current.length).toBe(MAX_HEAD_BYTES);
  });
});

describe('diagnoseHead', () => {
  it.each([
    ['GET / HTTP/1.1\nHost: x\n\n', { reason: 'bare-lf', line: 1, text: 'GET / HTTP/1.1' }],
    ['GET / HTTP/1.1\r\nHost: x\n\r\n', { reason: 'bare-lf', line: 2, text: 'Host: x' }],
    ['GET / HTTP/1.1\r\nHost: x\r\n\n', { reason: 'bare-lf', line: 3, text: '' }],
    ['get / HTTP/1.1\r\n\r\n', { reason: 'bad-start-line', line: 1, text: 'get / HTTP/1.1' }],
    ['GET / HTTP/1.1\r\nHost x\r\n\r\n', { reason: 'bad-header-line', line: 2, text: 'Host x' }],
    ['GET / HTTP/1.1\r\nHost: x\r\n', { reason: 'incomplete' }],
  ])('finds what is wrong with %j', (raw, problem) => {
    expect(diagnoseHead(bytes(raw), 'request')).toEqual(problem);
  });

  it('reads a status line by its own rules, and trusts Node on overflow', () => {
    expect(diagnoseHead(bytes('HTTP/1.1 OK\r\n\r\n'), 'response')).toMatchObject({
      reason: 'bad-start-line',
    });
    expect(diagnoseHead(bytes('HTTP/1.1 200 OK\r\n\r\n'), 'response')).toEqual({ reason: 'other' });
    expect(diagnoseHead(bytes('x'), 'response', 'HPE_HEADER_OVERFLOW')).toEqual({
      reason: 'head-too-large',
    });
  });
});

describe('framingOf', () => {
  it('tells chunked, Content-Length and close-delimited bodies apart', () => {
    expect(framingOf({ 'transfer-encoding': 'gzip, chunked', 'content-length': '3' })).toBe(
      'chunked',
    );
    expect(framingOf({ 'content-length': '3' })).toBe('content-length');
    expect(framingOf({})).toBe('close');
  });
});
