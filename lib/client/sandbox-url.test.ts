import { describe, expect, it } from 'vitest';
import { captureDownloadUrl, resolveSandboxUrl } from './sandbox-url.ts';

describe('resolveSandboxUrl', () => {
  it('uses the configured URL when there is one', () => {
    const page = { protocol: 'https:', hostname: 'learn.example.org' };
    expect(resolveSandboxUrl('wss://learn.example.org/sandbox', page)).toBe(
      'wss://learn.example.org/sandbox',
    );
  });

  it('defaults to port 3001 on the page host, with ws for http and wss for https', () => {
    expect(resolveSandboxUrl(null, { protocol: 'http:', hostname: 'localhost' })).toBe(
      'ws://localhost:3001/ws',
    );
    expect(resolveSandboxUrl('', { protocol: 'https:', hostname: '10.0.0.5' })).toBe(
      'wss://10.0.0.5:3001/ws',
    );
    expect(resolveSandboxUrl(undefined, { protocol: 'http:', hostname: '[::1]' })).toBe(
      'ws://[::1]:3001/ws',
    );
  });
});

describe('captureDownloadUrl', () => {
  const token = 'abcdefghijklmnopqrstuv';

  it('downloads over HTTP(S) from the sandbox server, beside its WebSocket path', () => {
    expect(captureDownloadUrl('ws://127.0.0.1:3001/ws', 'run-aaaaaaaa', token)).toBe(
      `http://127.0.0.1:3001/capture/run-aaaaaaaa.pcap?token=${token}`,
    );
    expect(captureDownloadUrl('wss://learn.example.org/sandbox/ws', 'run-aaaaaaaa', token)).toBe(
      `https://learn.example.org/sandbox/capture/run-aaaaaaaa.pcap?token=${token}`,
    );
    expect(captureDownloadUrl('wss://[::1]:8443/ws', 'run-aaaaaaaa', token)).toBe(
      `https://[::1]:8443/capture/run-aaaaaaaa.pcap?token=${token}`,
    );
  });
});
