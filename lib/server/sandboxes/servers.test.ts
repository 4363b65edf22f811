import { describe, expect, it } from 'vitest';
import { parseSandboxServers, SandboxServersError } from './servers.ts';

describe('parseSandboxServers', () => {
  it('reads public URLs and polls beside them when no polling URL is given', () => {
    expect(parseSandboxServers('wss://sb1.example/sandbox/ws, ws://10.0.0.2:3001/ws')).toEqual([
      { url: 'wss://sb1.example/sandbox/ws', healthUrl: 'https://sb1.example/sandbox/health' },
      { url: 'ws://10.0.0.2:3001/ws', healthUrl: 'http://10.0.0.2:3001/health' },
    ]);
  });

  it('polls at the given base URL', () => {
    expect(parseSandboxServers(' wss://sb1.example/ws   http://10.0.3.7:3001 ')).toEqual([
      { url: 'wss://sb1.example/ws', healthUrl: 'http://10.0.3.7:3001/health' },
    ]);
    expect(parseSandboxServers('wss://a/ws http://in/sb/')[0]!.healthUrl).toBe(
      'http://in/sb/health',
    );
  });

  it('is empty when unset or blank', () => {
    expect(parseSandboxServers(undefined)).toEqual([]);
    expect(parseSandboxServers(' , ')).toEqual([]);
  });

  it.each([
    ['https://sb1.example/ws', /ws:\/\/ or wss:\/\//],
    ['wss://a/ws ftp://in', /polling URL must be http/],
    ['wss://a/ws http://b http://c', /at most one polling URL/],
    ['wss://a/ws, wss://a/ws', /lists wss:\/\/a\/ws twice/],
    ['notaurl', /ws:\/\/ or wss:\/\//],
  ])('refuses %j, naming the entry', (value, message) => {
    expect(() => parseSandboxServers(value)).toThrow(SandboxServersError);
    expect(() => parseSandboxServers(value)).toThrow(message);
  });
});
